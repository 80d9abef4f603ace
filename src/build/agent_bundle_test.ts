import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { agentBundle, sourceVersion } from "./agent_bundle.ts";
import { SOURCE_ROOT, sourceUrl } from "./source_root.ts";

/** A project of two modules: main.ts prints what src/greeting.ts says, then what it is given. */
async function withProject(test: (root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "fluux-bundle-" });
  try {
    await Deno.mkdir(`${root}/src/lib`, { recursive: true });
    await Deno.writeTextFile(`${root}/deno.json`, "{}\n");
    await Deno.writeTextFile(
      `${root}/main.ts`,
      'import { greeting } from "./src/lib/greeting.ts";\nconsole.log(greeting, ...Deno.args);\n',
    );
    await Deno.writeTextFile(`${root}/src/lib/greeting.ts`, 'export const greeting = "hello";\n');
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function runBundle(entry: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", entry, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.success, true, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim();
}

async function names(folder: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(folder)) found.push(entry.name);
  return found.sort();
}

Deno.test("agentBundle() builds the sources once, into a folder named for their version", async () => {
  await withProject(async (root) => {
    const built: string[] = [];
    const first = await agentBundle({ root, onBuild: (folder) => built.push(folder) });
    assert(first.ok, first.ok ? "" : first.reason);
    const version = await sourceVersion(root);
    assert.equal(first.entry, `${root}/.bundle/${version}/main.js`);
    assert.equal(first.built, true);
    assert.deepEqual(built, [`${root}/.bundle/${version}`]);
    assert.equal(await runBundle(first.entry, "world"), "hello world");
    const again = await agentBundle({ root, onBuild: (folder) => built.push(folder) });
    assert.deepEqual(again, { ok: true, entry: first.entry, built: false });
    assert.equal(built.length, 1, "an unchanged source is not built again");
    assert.deepEqual(await names(`${root}/.bundle`), [version], "nothing half-built is left");
  });
});

Deno.test("agentBundle() builds again when a module changes, and keeps the newest three", async () => {
  await withProject(async (root) => {
    const entries: string[] = [];
    for (const word of ["one", "two", "three", "four"]) {
      await Deno.writeTextFile(
        `${root}/src/lib/greeting.ts`,
        `export const greeting = "${word}";\n`,
      );
      const bundle = await agentBundle({ root });
      assert(bundle.ok && bundle.built, `"${word}" is built`);
      assert.equal(await runBundle(bundle.entry), word);
      entries.push(bundle.entry);
    }
    assert.equal(new Set(entries).size, 4, "each version has its own folder");
    const kept = await names(`${root}/.bundle`);
    assert.equal(kept.length, 3);
    assert(!kept.includes(entries[0]!.split("/").at(-2)!), "the oldest is removed");
    assert(kept.includes(entries[3]!.split("/").at(-2)!), "the current one stays");
  });
});

Deno.test("sourceVersion() follows main.ts, the modules, deno.json and the lock file, not tests", async () => {
  await withProject(async (root) => {
    const versions = [await sourceVersion(root)];
    await Deno.writeTextFile(`${root}/src/lib/greeting_test.ts`, "// a test\n");
    assert.equal(await sourceVersion(root), versions[0], "a test is not part of the bundle");
    const edits: [string, string][] = [
      ["main.ts", "console.log(1);\n"],
      ["src/lib/greeting.ts", 'export const greeting = "hi";\n'],
      ["src/lib/more.ts", "export {};\n"],
      ["deno.json", '{ "imports": {} }\n'],
      ["deno.lock", "{}\n"],
    ];
    for (const [file, text] of edits) {
      await Deno.writeTextFile(`${root}/${file}`, text);
      const version = await sourceVersion(root);
      assert(!versions.includes(version), `a change to ${file} makes another version`);
      versions.push(version);
    }
  });
});

Deno.test("agentBundle() says why when the sources do not build, and builds nothing", async () => {
  await withProject(async (root) => {
    await Deno.writeTextFile(`${root}/src/lib/greeting.ts`, "export const greeting = ;\n");
    const bundle = await agentBundle({ root });
    assert.equal(bundle.ok, false);
    assert.match(bundle.ok ? "" : bundle.reason, /^deno bundle failed: .*greeting\.ts/s);
    assert.deepEqual(await names(`${root}/.bundle`), []);
  });
});

Deno.test("agentBundle() says why when it cannot write its folder", async () => {
  await withProject(async (root) => {
    await Deno.writeTextFile(`${root}/.bundle`, "a file where the folder would be");
    const bundle = await agentBundle({ root });
    assert.equal(bundle.ok, false);
    assert.match(bundle.ok ? "" : bundle.reason, /^cannot build the bundle in ".*\/\.bundle": /);
  });
});

Deno.test("SOURCE_ROOT is the folder of main.ts and deno.json", async () => {
  assert.equal(SOURCE_ROOT.href.endsWith("/"), true);
  for (const file of ["main.ts", "deno.json", "src/skills/worker_main.ts"]) {
    await Deno.stat(fileURLToPath(sourceUrl(file)));
  }
});
