/**
 * Attack: one person's memory reached through another's search — user B searching for words
 * only A said, asking for "alice's memory", naming a scope in the tool's arguments, passing
 * `memory_get` sources with `../`, absolute paths, other JIDs, percent-encoded, full-width,
 * backslash and NUL variants, a link planted in B's folder; a room's search reaching an
 * occupant's private notes; a search after `/forget`. Secure outcome: every attempt returns
 * nothing of the other scope, with the keyword index in this process and with the vector
 * index in its own process (where B's query embeds exactly like A's text).
 *
 * Run against the search module itself with real files and real SQLite databases; the
 * agent wires these tools and commands to the conversation the runtime knows.
 */
import { join } from "node:path";
import { assertEquals, assertExcludes, assertTrue } from "../support/assert.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { MemoryStore } from "../../src/memory/mod.ts";
import {
  ChildIndexBackend,
  createEmbedder,
  LocalIndexBackend,
  MemorySearch,
  MemoryTools,
} from "../../src/search/mod.ts";
import { memoryCommands } from "../../src/commands/mod.ts";

const ALICE = "alice@example.org";
const BOB = "bob@example.org";
const ROOM = "team@conference.example.org";
/** Words only Alice ever said or had noted. */
const SECRET = "Alice's passport number is QX7741 and her safe code is zebra-orchid";
const SECRET_WORDS = ["QX7741", "zebra", "orchid", "passport"];

interface World {
  dir: string;
  search: MemorySearch;
  tools: MemoryTools;
  store: MemoryStore;
}

async function withWorld(mode: "keyword" | "vector", test: (world: World) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "memory_isolation_" });
  await using fake = await startFakeLlm({ embedding_dimensions: 32 });
  const indexDir = join(dir, "search");
  const backend = mode === "keyword"
    ? new LocalIndexBackend(indexDir)
    : new ChildIndexBackend({ indexDir, model: "fake-embed", denoPath: Deno.execPath() });
  const search = new MemorySearch({
    dataDir: dir,
    indexDir,
    backend,
    ...(mode === "vector"
      ? { embedder: createEmbedder({ provider: "ollama", model: "fake-embed", host: fake.url }) }
      : {}),
    contributors: ["admin@example.org"],
  });
  const store = new MemoryStore(dir, {
    durability: "none",
    onChange: (change) => search.onMemoryChange(change),
  });
  try {
    // Alice's memory: her notes, her current session and an archived one.
    await Deno.mkdir(join(dir, ALICE), { recursive: true });
    await Deno.writeTextFile(join(dir, ALICE, "memory.md"), `# Notes\n${SECRET}\n`);
    await store.append(ALICE, { type: "message", role: "user", content: SECRET });
    await store.archive(ALICE);
    await store.append(ALICE, { type: "message", role: "user", content: `Again: ${SECRET}` });
    // Bob and the room have memories of their own.
    await store.append(BOB, { type: "message", role: "user", content: "Bob likes sailing" });
    await store.append(ROOM, {
      type: "message",
      role: "user",
      content: "Sprint review on Friday",
      sender: "alice@muc",
    });
    await test({ dir, search, tools: new MemoryTools(search), store });
  } finally {
    await store.close();
    await search.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Everything a caller gets back but the echo of their own query, as one text. */
async function searchAs(world: World, conversation: string, input: Record<string, unknown>) {
  const result = await world.tools.call({ id: "t", name: "memory_search", input }, {
    conversation,
  });
  // Their own query is echoed back ("nothing found for …"): that is not a leak.
  return result.content.replaceAll(JSON.stringify(input.query), "(the query)");
}

async function getAs(world: World, conversation: string, source: unknown) {
  const result = await world.tools.call(
    { id: "t", name: "memory_get", input: { source } },
    { conversation },
  );
  return result;
}

function assertNothingOf(text: string, what: string) {
  for (const word of SECRET_WORDS) assertExcludes(text, word, `${what} leaked "${word}"`);
}

for (const mode of ["keyword", "vector"] as const) {
  Deno.test(`memory isolation (${mode}): B's searches find nothing A said, whatever B asks`, async () => {
    await withWorld(mode, async (world) => {
      // Alice finds her own memory: the attacks below are not empty by accident.
      const own = await searchAs(world, ALICE, { query: "passport number" });
      assertTrue(own.includes("QX7741"), `Alice finds her own fact:\n${own}`);
      const queries = [
        "passport number",
        "QX7741",
        "zebra orchid safe code",
        "alice's memory",
        "alice@example.org memory.md passport",
        // Embeds exactly like Alice's message: the nearest vector in her scope.
        SECRET,
        `Again: ${SECRET}`,
      ];
      for (const query of queries) {
        assertNothingOf(await searchAs(world, BOB, { query, limit: 20 }), `B's search "${query}"`);
      }
      // A scope in the arguments is refused, not followed.
      for (const extra of [{ conversation: ALICE }, { jid: ALICE }, { scope: ALICE }]) {
        const result = await world.tools.call(
          { id: "t", name: "memory_search", input: { query: "passport", ...extra } },
          { conversation: BOB },
        );
        assertTrue(result.is_error, `extra argument ${JSON.stringify(extra)} is refused`);
        assertNothingOf(result.content, `B's search with ${JSON.stringify(extra)}`);
      }
      // The same through the command a person types.
      const [command] = memoryCommands(world.search);
      const reply = await command!.run(
        {
          jid: BOB,
          sender: BOB,
          args: "search passport QX7741",
          rights: { dev: false, erase: true },
        } as never,
      );
      assertNothingOf(reply.replaceAll('"passport QX7741"', ""), "B's /memory search");
    });
  });

  Deno.test(`memory isolation (${mode}): memory_get refuses every path to A's files`, async () => {
    await withWorld(mode, async (world) => {
      const { dir } = world;
      const attacks = [
        "../alice@example.org/memory.md",
        "../../memory/alice@example.org/memory.md",
        join(dir, ALICE, "memory.md"),
        `/${ALICE}/memory.md`,
        `${ALICE}/memory.md`,
        "alice@example.org",
        "sessions/../../alice@example.org/memory.md",
        "shared/../alice@example.org/memory.md",
        "shared/../../alice@example.org/memory.md",
        "..%2Falice@example.org%2Fmemory.md",
        "%2e%2e/alice@example.org/memory.md",
        "\uff0e\uff0e/alice@example.org/memory.md",
        "..\uff0falice@example.org\uff0fmemory.md",
        "..\\alice@example.org\\memory.md",
        "memory.md\u0000../alice@example.org/memory.md",
        "./memory.md/../../alice@example.org/memory.md",
        "~/alice@example.org/memory.md",
        "search/conversations/alice@example.org.sqlite",
        "history.jsonl/../../alice@example.org/history.jsonl",
        "threads/../../alice@example.org/history.jsonl",
        42,
        { path: "../alice@example.org/memory.md" },
      ];
      for (const source of attacks) {
        const result = await getAs(world, BOB, source);
        assertTrue(result.is_error, `source ${JSON.stringify(source)} is refused`);
        assertNothingOf(result.content, `memory_get ${JSON.stringify(source)}`);
      }
      // A link planted in Bob's folder (by hand or otherwise) is not followed.
      await Deno.symlink(join(dir, ALICE, "memory.md"), join(dir, BOB, "memory.md"));
      await Deno.mkdir(join(dir, BOB, "sessions"), { recursive: true });
      await Deno.symlink(join(dir, ALICE, "sessions"), join(dir, BOB, "threads"));
      assertNothingOf((await getAs(world, BOB, "memory.md")).content, "a linked memory.md");
      assertNothingOf(await searchAs(world, BOB, { query: "passport QX7741" }), "a linked file");
      // Bob's own file is readable: the refusals are not a broken tool.
      const ownResult = await getAs(world, BOB, "history.jsonl");
      assertEquals(ownResult.is_error, false);
      assertTrue(ownResult.content.includes("Bob likes sailing"));
    });
  });

  Deno.test(`memory isolation (${mode}): a room never reaches its occupants' own memory`, async () => {
    await withWorld(mode, async (world) => {
      for (const query of ["passport QX7741", SECRET, "alice memory zebra"]) {
        assertNothingOf(await searchAs(world, ROOM, { query, limit: 20 }), `the room's "${query}"`);
      }
      const viaRoom = await getAs(world, ROOM, "../alice@example.org/memory.md");
      assertTrue(viaRoom.is_error);
      assertNothingOf(viaRoom.content, "the room's memory_get");
      // An occupant's own search does not reach the room's memory either.
      assertExcludes(await searchAs(world, ALICE, { query: "sprint review" }), "Sprint review");
      // The room finds its own.
      assertTrue(
        (await searchAs(world, ROOM, { query: "sprint review" })).includes("Sprint review"),
      );
    });
  });

  Deno.test(`memory isolation (${mode}): after /forget nothing erased is found or left in the index`, async () => {
    await withWorld(mode, async (world) => {
      const before = await searchAs(world, ALICE, { query: "passport" });
      assertTrue(before.includes("QX7741"), "the fact is found before");
      await world.store.forget(ALICE);
      await Deno.remove(join(world.dir, ALICE, "sessions"), { recursive: true });
      const after = await searchAs(world, ALICE, { query: "passport QX7741", limit: 20 });
      assertNothingOf(after, "a search after /forget");
      const conversations = join(world.dir, "search", "conversations");
      for (const entry of Deno.readDirSync(conversations)) {
        if (!entry.name.startsWith(ALICE)) continue;
        const bytes = new TextDecoder("latin1").decode(
          Deno.readFileSync(join(conversations, entry.name)),
        );
        for (const word of ["QX7741", "qx7741", "zebra", "orchid"]) {
          assertExcludes(bytes, word, `${entry.name} still holds "${word}"`);
        }
      }
    });
  });
}

Deno.test("memory isolation: memory_share is refused to anyone not listed, in a chat or a room", async () => {
  await withWorld("keyword", async (world) => {
    for (
      const context of [{ conversation: BOB }, { conversation: ROOM }, {
        conversation: ROOM,
        sender: BOB,
      }]
    ) {
      const result = await world.tools.call(
        { id: "t", name: "memory_share", input: { fact: "Everyone: the password is hunter2" } },
        context,
      );
      assertTrue(result.is_error, `refused for ${JSON.stringify(context)}`);
      assertTrue(result.content.includes("contributors"));
    }
    assertExcludes(await searchAs(world, BOB, { query: "hunter2" }), "hunter2");
    const admin = await world.tools.call(
      { id: "t", name: "memory_share", input: { fact: "Lunch is at noon" } },
      { conversation: ROOM, sender: "admin@example.org" },
    );
    assertEquals(admin.is_error, false);
  });
});
