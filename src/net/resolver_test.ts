import assert from "node:assert/strict";

const RESOLVER = new URL("./resolver.ts", import.meta.url).href;

/** Resolves `host` in a child process holding only `--allow-net=<grant>`. */
async function resolveUnder(grant: string, host: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/resolve.ts`;
    await Deno.writeTextFile(
      script,
      `import { denoResolve } from ${JSON.stringify(RESOLVER)};\n` +
        `try { console.log(JSON.stringify(await denoResolve(${JSON.stringify(host)}))); }\n` +
        `catch (error) { console.log(error.message); }\n`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-prompt", `--allow-net=${grant}`, script],
      stdin: "null",
    }).output();
    return new TextDecoder().decode(output.stdout).trim();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("denoResolve() needs net permission for the name only, never for a name server", async () => {
  const addresses = JSON.parse(await resolveUnder("localhost", "localhost")) as string[];
  assert.ok(addresses.includes("127.0.0.1") || addresses.includes("::1"), String(addresses));
});

Deno.test("denoResolve() says when the process may not resolve a name", async () => {
  assert.equal(
    await resolveUnder("localhost:443", "localhost"),
    'Not permitted to resolve "localhost": it is not in --allow-net',
  );
});
