import { join } from "node:path";
import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { loadConfig } from "../config/mod.ts";
import { reindexCommand } from "./reindex.ts";

async function withConfig(search: string, test: (dir: string, path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "reindex_test_" });
  const path = join(dir, "agent.toml");
  await Deno.writeTextFile(
    path,
    `[server]\nhost = "localhost"\njid = "bot@localhost"\npassword = "pw-1234"\n` +
      `[llm]\nprovider = "ollama"\nmodel = "llama3"\n[memory.search]\n${search}`,
  );
  try {
    await test(dir, path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("reindexCommand() rebuilds every conversation and the shared folder, with progress", async () => {
  await withConfig("enabled = true\n", async (dir, path) => {
    for (const jid of ["alice@localhost", "bob@localhost"]) {
      await Deno.mkdir(join(dir, "data", "memory", jid), { recursive: true });
      await Deno.writeTextFile(join(dir, "data", "memory", jid, "memory.md"), `Notes of ${jid}\n`);
    }
    const loaded = await loadConfig(path, { cwd: dir, home: dir, env: () => undefined });
    let output = "";
    let clock = 0;
    const code = await reindexCommand(loaded, {
      write: (text) => output += text,
      terminal: false,
      now: () => (clock += 1500),
    });
    assertEquals(code, 0);
    assertEquals(output.split("\n"), [
      "Indexed 1/3 scopes, 1 chunks (alice@localhost)",
      "Indexed 2/3 scopes, 2 chunks (bob@localhost)",
      "Indexed 3/3 scopes, 2 chunks (shared)",
      "Reindexed 3 scopes: 2 chunks in 1.5 s",
      "",
    ]);
    const indexes = [...Deno.readDirSync(join(dir, "data", "memory", "search", "conversations"))]
      .map((entry) => entry.name).filter((name) => name.endsWith(".sqlite")).sort();
    assertEquals(indexes, ["alice@localhost.sqlite", "bob@localhost.sqlite"]);
  });
});

Deno.test("reindexCommand() says search is off and exits 2", async () => {
  await withConfig("enabled = false\n", async (dir, path) => {
    const loaded = await loadConfig(path, { cwd: dir, home: dir, env: () => undefined });
    let output = "";
    assertEquals(await reindexCommand(loaded, { write: (text) => output += text }), 2);
    assertIncludes(output, "memory search is off (memory.search.enabled = false)");
  });
});
