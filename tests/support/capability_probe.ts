/**
 * Run by tests as a child under the flags they check: tries what a process should or should
 * not be able to do and prints one JSON object, `{ name: "ok" | "<error name>: <message>" }`.
 *
 * Usage: `deno run <flags> capability_probe.ts <native library> <url> <file to read>`
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

const [library = "", url = "", file = ""] = Deno.args;

async function attempt(work: () => unknown): Promise<string> {
  try {
    await work();
    return "ok";
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const results = {
  sqliteExtension: await attempt(() => {
    const db = new DatabaseSync(":memory:", { allowExtension: true });
    db.loadExtension(library);
    db.close();
  }),
  dlopen: await attempt(() => Deno.dlopen(library, {}).close()),
  fetch: await attempt(async () => await (await fetch(url)).body?.cancel()),
  read: await attempt(() => Deno.readTextFileSync(file)),
  env: await attempt(() => Deno.env.get("HOME")),
  run: await attempt(() => new Deno.Command("true").outputSync()),
};
console.log(JSON.stringify(results));
