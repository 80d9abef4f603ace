/**
 * The vector index process, end to end: the flags the agent and the index process get (only
 * the index process can load native code, and it can do nothing else), and hybrid search
 * through that process with a local server speaking Ollama's `/api/embed` and OpenAI's
 * `/v1/embeddings`.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getLoadablePath } from "sqlite-vec";
import { assertEquals, assertIncludes, assertTrue, eventually } from "./support/assert.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { loadConfig, permissionFlags } from "../src/config/mod.ts";
import {
  ChildIndexBackend,
  createEmbedder,
  indexProcessFlags,
  MemorySearch,
  searchProcesses,
} from "../src/search/mod.ts";

const PROBE = fileURLToPath(new URL("./support/capability_probe.ts", import.meta.url));
/** The native library sqlite-vec loads (a real one: what a process must not load by itself). */
const VEC0 = getLoadablePath();
const ALICE = "alice@example.org";

async function probe(flags: string[], args: string[]): Promise<Record<string, string>> {
  const { stdout, stderr, success } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...flags, PROBE, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  assertTrue(success, `the probe ran: ${new TextDecoder().decode(stderr)}`);
  return JSON.parse(text);
}

async function configWithSearch(dir: string, fakeUrl: string) {
  const path = join(dir, "agent.toml");
  await Deno.writeTextFile(
    path,
    `[server]\nhost = "localhost"\njid = "bot@localhost"\npassword = "pw-1234"\n` +
      `[llm]\nprovider = "ollama"\nmodel = "llama3"\n` +
      `[memory]\npath = "${dir}/data"\n` +
      `[memory.search]\nenabled = true\nprovider = "ollama"\nhost = "${fakeUrl}"\n`,
  );
  return await loadConfig(path, { cwd: dir, home: dir, env: () => undefined });
}

Deno.test("only the index process can load a native library, and it can do nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "index_flags_" });
  await using fake = await startFakeLlm();
  try {
    const loaded = await configWithSearch(dir, fake.url);
    const agentFlags = permissionFlags(loaded, { searchDenoPath: Deno.execPath() });
    const net = agentFlags.find((flag) => flag.startsWith("--allow-net="))!;
    assertIncludes(net, `127.0.0.1:${fake.port}`);
    assertIncludes(agentFlags.join(" "), `--allow-run=${Deno.execPath()}`);
    assertTrue(
      !agentFlags.some((flag) => flag.startsWith("--allow-ffi")),
      "the agent holds no FFI",
    );
    const secret = join(dir, "agent.toml");
    const agent = await probe(agentFlags, [VEC0, `${fake.url}/api/version`, secret]);
    assertIncludes(agent.sqliteExtension!, "NotCapable");
    assertIncludes(agent.dlopen!, "NotCapable");
    assertEquals(agent.fetch, "ok", "the agent reaches the embedder");

    const [index] = searchProcesses(loaded);
    assertEquals(index!.flags, indexProcessFlags(join(dir, "data", "search")));
    await Deno.mkdir(join(dir, "data", "search"), { recursive: true });
    const child = await probe(index!.flags, [VEC0, `${fake.url}/api/version`, secret]);
    assertEquals(child.sqliteExtension, "ok");
    assertIncludes(child.fetch!, "Requires net access");
    assertIncludes(child.read!, "NotCapable");
    assertIncludes(child.env!, "NotCapable");
    assertIncludes(child.run!, "NotCapable");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A data directory with Alice's notes and one archived session. */
async function aliceFiles(dir: string) {
  await Deno.mkdir(join(dir, ALICE, "sessions"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, ALICE, "memory.md"),
    "# Pets\nAlice's cat is named Zorblax.\n\n# Work\nShe repairs telescopes at the observatory.\n",
  );
  const header = { type: "session", version: 1, created: "2026-11-20T10:00:00Z", jid: ALICE };
  const said = {
    type: "message",
    role: "user",
    content: "We leave for Oslo on the 3rd",
    ts: "2026-11-20T10:00:00Z",
  };
  await Deno.writeTextFile(
    join(dir, ALICE, "sessions", "20261120-100000.jsonl"),
    `${JSON.stringify(header)}\n${JSON.stringify(said)}\n`,
  );
}

/** The texts the fake was asked to embed, by path. */
function embedded(fake: { requests: { path: string; body: unknown }[] }, path: string): string[] {
  return fake.requests.filter((request) => request.path === path)
    .flatMap((request) => (request.body as { input: string[] }).input);
}

for (const provider of ["ollama", "openai"] as const) {
  Deno.test(`hybrid search through the index process (${provider} embeddings), cached by content`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "index_process_" });
    await using fake = await startFakeLlm({ embedding_dimensions: 64, api_key: "sk-embed" });
    const path = provider === "ollama" ? "/api/embed" : "/v1/embeddings";
    const exits: string[] = [];
    const backend = new ChildIndexBackend({
      indexDir: join(dir, "search"),
      model: "fake-embed",
      denoPath: Deno.execPath(),
      onExit: (reason) => exits.push(reason),
    });
    const search = new MemorySearch({
      dataDir: dir,
      backend,
      embedder: createEmbedder({
        provider,
        model: "fake-embed",
        host: fake.url,
        apiKey: "sk-embed",
      }),
      vectorWeight: 0.9,
      keywordWeight: 0.1,
      recencyWeight: 0,
    });
    try {
      await aliceFiles(dir);
      assertTrue(search.hybrid);
      // Exactly a chunk's text: its vector is the query's (cosine 1), whatever the keywords say.
      const chunkText = "# Work\nShe repairs telescopes at the observatory.";
      const { hits } = await search.search(ALICE, chunkText);
      assertEquals(hits[0]?.text, chunkText);
      assertEquals([hits[0]!.source, hits[0]!.lineFrom, hits[0]!.lineTo], ["memory.md", 4, 5]);
      // Keywords weigh 0.1 here: a score above that is the vector's doing.
      assertTrue(hits[0]!.score > 0.9, `a near-perfect score, got ${hits[0]!.score}`);
      // The query, then the three chunks (two notes, one session), each embedded once.
      assertEquals(embedded(fake, path).length, 4);

      // Re-indexing unchanged text calls the embedder for the queries only.
      fake.requests.length = 0;
      await search.reindex();
      assertEquals(embedded(fake, path), []);
      // One new line: only the new chunk is embedded.
      await Deno.writeTextFile(join(dir, ALICE, "memory.md"), "\n# Food\nLoves pierogi.\n", {
        append: true,
      });
      await search.search(ALICE, "pierogi");
      assertEquals(embedded(fake, path), ["pierogi", "# Food\nLoves pierogi."]);

      // The embedder failing leaves keyword search working, and says so.
      fake.failNext(500, 1);
      const degraded = await search.search(ALICE, "Oslo");
      assertIncludes(degraded.hits[0]!.text, "Oslo");
      assertIncludes(degraded.note ?? "", "keywords only");
      assertTrue(!degraded.note!.includes("fake-llm-error-body"), "no provider text in the note");

      // A search right after the index process is killed, before its end is seen, is answered:
      // asked of the dead process, then again of a new one.
      Deno.kill(backend.pid!, "SIGKILL");
      assertIncludes((await search.search(ALICE, "Zorblax")).hits[0]!.text, "Zorblax");
      await eventually("the end of the killed index process seen", () => exits.length === 1);
      assertEquals(exits.length, 1);
    } finally {
      await search.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
