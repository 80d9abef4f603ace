import assert from "node:assert/strict";
import { relative } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { skillRuntimeModules } from "./runtime_modules.ts";

const ROOT = new URL("../../", import.meta.url);

/**
 * Every module `entry` (a path from the project's root) imports statically: for main.ts, what
 * `deno compile` embeds on its own.
 */
async function staticGraph(entry = "main.ts"): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", fromFileUrl(new URL(entry, ROOT))],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string }[];
  };
  return new Set(info.modules.map((module) => module.specifier));
}

/** Modules the source names by URL (`new URL("./x.ts", import.meta.url)`, `bootModule(…, "./x.ts", …)`). */
async function modulesLoadedByUrl(dir: URL, found: Set<string> = new Set()): Promise<Set<string>> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.isDirectory ? `${entry.name}/` : entry.name, dir);
    if (entry.isDirectory) {
      await modulesLoadedByUrl(url, found);
      continue;
    }
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const source = await Deno.readTextFile(url);
    const patterns = [
      /new URL\(\s*"(\.{1,2}\/[^"]+\.ts)",\s*import\.meta\.url\s*\)/g,
      /bootModule\([^,]+,\s*"(\.{1,2}\/[^"]+\.ts)"/g,
    ];
    for (const pattern of patterns) {
      for (const [, path] of source.matchAll(pattern)) found.add(new URL(path!, url).href);
    }
  }
  return found;
}

Deno.test("skillRuntimeModules() names every module loaded by URL that main.ts does not import", async () => {
  const graph = await staticGraph();
  const included = new Set(skillRuntimeModules().map((url) => url.href));
  const loaded = await modulesLoadedByUrl(new URL("src/", ROOT));
  const missing = [...loaded].filter((href) => !graph.has(href) && !included.has(href));
  assert.deepEqual(missing.map((href) => relative(fromFileUrl(ROOT), fromFileUrl(href))), []);
  for (const href of included) {
    await Deno.stat(new URL(href)); // each exists
    assert.ok(!graph.has(href), `${href} is imported statically: no --include needed`);
  }
});

Deno.test("the sandbox side of the skill protocol loads no module but the protocol's", async () => {
  // A sandboxed skill may read no module of the agent's but these: one more import (a logger,
  // a shared helper) fails every confined call with "Requires read access".
  for (const boot of ["worker_main.ts", "child_main.ts"]) {
    const graph = await staticGraph(`src/skills/${boot}`);
    const loaded = [...graph].map((href) => relative(fromFileUrl(ROOT), fromFileUrl(href)));
    assert.deepEqual(loaded.sort(), [`src/skills/${boot}`, "src/skills/skill_protocol.ts"].sort());
  }
});
