import { join } from "node:path";
import {
  assertEquals,
  assertExcludes,
  assertIncludes,
  assertRejects,
  assertTrue,
  eventually,
} from "../../tests/support/assert.ts";
import { MemoryStore } from "../memory/mod.ts";
import type { IndexBackend } from "./index_backend.ts";
import { LocalIndexBackend } from "./local_index_backend.ts";
import { MemoryAccessError } from "./memory_excerpt.ts";
import { MemorySearch, type MemorySearchOptions } from "./memory_search.ts";

const ALICE = "alice@example.org";

/** A keyword-only search over a fresh data directory, and a record of the index writes. */
async function withSearch(
  test: (search: MemorySearch, dir: string, writes: string[]) => Promise<void>,
  options: Partial<MemorySearchOptions> = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "memory_search_test_" });
  const writes: string[] = [];
  const backend = recording(new LocalIndexBackend(join(dir, "search")), writes);
  const search = new MemorySearch({ dataDir: dir, backend, refreshDelayMs: 10, ...options });
  try {
    await test(search, dir, writes);
  } finally {
    await search.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Records the calls that change the index. */
function recording(backend: IndexBackend, writes: string[]): IndexBackend {
  return new Proxy(backend, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (["begin", "add", "remove"].includes(String(name))) {
          writes.push(`${String(name)} ${String(args[1])}`);
        }
        return value.apply(target, args);
      };
    },
  });
}

async function write(dir: string, path: string, text: string) {
  const full = join(dir, path);
  await Deno.mkdir(join(full, ".."), { recursive: true });
  await Deno.writeTextFile(full, text);
}

function sessionFile(messages: [string, string][], start = "2026-11-20T10:00:00Z"): string {
  const header = { type: "session", version: 1, created: start, jid: ALICE };
  return [
    header,
    ...messages.map(([role, content], i) => ({
      type: "message",
      role,
      content,
      ts: new Date(Date.parse(start) + i * 1000).toISOString(),
    })),
  ].map((line) => JSON.stringify(line) + "\n").join("");
}

const texts = async (search: MemorySearch, query: string, jid = ALICE) =>
  (await search.search(jid, query)).hits.map((hit) => hit.text);

Deno.test("MemorySearch finds a fact of an archived session, with its source, lines and date", async () => {
  await withSearch(async (search, dir) => {
    await write(
      dir,
      `${ALICE}/sessions/20261120-100000.jsonl`,
      sessionFile([["user", "We picked the name Halcyon for the boat"], ["assistant", "Lovely"]]),
    );
    const { hits } = await search.search(ALICE, "what did we call the boat?");
    assertEquals(hits.length, 1);
    const [hit] = hits;
    assertEquals(hit!.source, "sessions/20261120-100000.jsonl");
    assertEquals([hit!.lineFrom, hit!.lineTo], [2, 3]);
    assertEquals(hit!.date, "2026-11-20T10:00:00.000Z");
    assertIncludes(hit!.text, "user: We picked the name Halcyon for the boat");
    assertEquals(hit!.shared, false);
  });
});

Deno.test("MemorySearch sees a hand edit of memory.md at the next search, and only re-reads what changed", async () => {
  await withSearch(async (search, dir, writes) => {
    await write(dir, `${ALICE}/memory.md`, "# Notes\nThe spare key is under the blue pot.\n");
    await write(dir, `${ALICE}/user.md`, "Alice, a gardener in Lyon.\n");
    assertEquals(await texts(search, "spare key"), [
      "# Notes\nThe spare key is under the blue pot.",
    ]);
    writes.length = 0;
    assertEquals((await texts(search, "gardener")).length, 1);
    assertEquals(writes, [], "nothing changed: nothing is indexed again");
    // A hand edit: the fact moves.
    await write(dir, `${ALICE}/memory.md`, "# Notes\nThe spare key is now with the neighbour.\n");
    assertEquals(await texts(search, "blue pot"), []);
    assertEquals(await texts(search, "neighbour"), [
      "# Notes\nThe spare key is now with the neighbour.",
    ]);
    assertEquals(writes.filter((w) => w.startsWith("begin")), ["begin memory.md"]);
    await Deno.remove(join(dir, ALICE, "memory.md"));
    assertEquals(await texts(search, "neighbour"), []);
  });
});

Deno.test("MemorySearch indexes the current session as it grows, from its end", async () => {
  await withSearch(async (search, dir, writes) => {
    const store = new MemoryStore(dir, { durability: "none" });
    await store.append(ALICE, {
      type: "message",
      role: "user",
      content: "The wifi password is tangerine",
    });
    assertEquals((await texts(search, "wifi password")).length, 1);
    for (let i = 0; i < 30; i++) {
      await store.append(ALICE, {
        type: "message",
        role: "user",
        content: `Filler message ${i} ${"z".repeat(200)}`,
      });
    }
    await store.append(ALICE, {
      type: "message",
      role: "user",
      content: "My train leaves at 7:40",
    });
    writes.length = 0;
    assertIncludes((await texts(search, "train leaves"))[0]!, "My train leaves at 7:40");
    assertEquals(writes.filter((w) => w.startsWith("begin")), ["begin history.jsonl"]);
    assertIncludes((await texts(search, "tangerine"))[0]!, "tangerine", "older chunks stay");
    await store.close();
  });
});

Deno.test("MemorySearch leaves out the last messages the prompt shows", async () => {
  await withSearch(async (search, dir) => {
    const store = new MemoryStore(dir, { durability: "none" });
    await store.append(ALICE, {
      type: "message",
      role: "user",
      content: `Old detail: marmalade ${"x".repeat(2000)}`,
    });
    await store.append(ALICE, {
      type: "message",
      role: "user",
      content: `Recent detail: marmalade ${"y".repeat(2000)}`,
    });
    const hits = await texts(search, "marmalade");
    assertEquals(hits.length, 1);
    assertIncludes(hits[0]!, "Old detail");
    await store.close();
  }, { hideRecent: 1 });
});

Deno.test("MemorySearch.changed() indexes in the background, without a search", async () => {
  await withSearch(async (search, dir, writes) => {
    await write(dir, `${ALICE}/memory.md`, "Likes rooibos.\n");
    search.changed(ALICE);
    await eventually("the change is indexed", () => writes.includes("add memory.md"));
  });
});

Deno.test("MemorySearch.forget() removes the index: erased facts are not found, archives are", async () => {
  await withSearch(async (search, dir) => {
    const store = new MemoryStore(dir, {
      durability: "none",
      onChange: (change) => search.onMemoryChange(change),
    });
    await store.append(ALICE, { type: "message", role: "user", content: "The code is 4471" });
    await store.archive(ALICE);
    await store.append(ALICE, { type: "message", role: "user", content: "My doctor is Dr Okafor" });
    await write(dir, `${ALICE}/memory.md`, "Allergic to penicillin.\n");
    assertEquals((await texts(search, "okafor")).length, 1);
    assertEquals((await texts(search, "penicillin")).length, 1);
    await store.forget(ALICE);
    assertEquals(await texts(search, "okafor"), []);
    assertEquals(await texts(search, "penicillin"), []);
    assertEquals((await texts(search, "4471")).length, 1, "archived sessions are kept by /forget");
    await store.close();
  });
});

Deno.test("MemorySearch.read() reads lines of a source of the scope, numbered", async () => {
  await withSearch(async (search, dir) => {
    await write(dir, `${ALICE}/memory.md`, "one\ntwo\nthree\nfour\n");
    await write(
      dir,
      `${ALICE}/sessions/20261120-100000.jsonl`,
      sessionFile([["user", "hello there"]]),
    );
    const excerpt = await search.read(ALICE, "memory.md", 2, 2);
    assertEquals(excerpt, {
      source: "memory.md",
      from: 2,
      to: 3,
      total: 4,
      text: "2: two\n3: three",
    });
    const session = await search.read(ALICE, "sessions/20261120-100000.jsonl");
    assertIncludes(session.text, "2: [2026-11-20 10:00] user: hello there");
    await assertRejects(() => search.read(ALICE, "memory.md", 9), RangeError, "4 lines");
    await assertRejects(() => search.read(ALICE, "secrets.md"), MemoryAccessError, "No source");
  });
});

Deno.test("MemorySearch.share() appends a contributor's fact that every conversation finds", async () => {
  await withSearch(async (search, dir) => {
    const added = await search.share(
      "Admin@Example.org",
      "The office wifi is fluux-guest\n# not a heading",
    );
    assertEquals(added.source, "shared/facts.md");
    const file = await Deno.readTextFile(join(dir, "shared", "facts.md"));
    assertIncludes(
      file,
      "- The office wifi is fluux-guest # not a heading (added by admin@example.org, 2026-12-01)\n",
    );
    const { hits } = await search.search("bob@example.org", "office wifi");
    assertEquals(hits.map((hit) => [hit.source, hit.shared]), [["shared/facts.md", true]]);
    await assertRejects(
      () => search.share("bob@example.org", "x"),
      MemoryAccessError,
      "contributors",
    );
    await assertRejects(() => search.share(undefined, "x"), MemoryAccessError, "contributors");
    await assertRejects(() => search.share("admin@example.org", "  "), RangeError, "empty");
    assertExcludes(await Deno.readTextFile(join(dir, "shared", "facts.md")), "- x (");
  }, { contributors: ["admin@example.org"], now: () => new Date("2026-12-01T09:00:00Z") });
});

Deno.test("MemorySearch makes no index for a conversation that has no file", async () => {
  await withSearch(async (search, dir) => {
    assertEquals((await search.search("nobody@example.org", "anything")).hits, []);
    const made = [...Deno.readDirSync(join(dir))].map((entry) => entry.name);
    assertTrue(!made.includes("search") || [...Deno.readDirSync(join(dir, "search"))].length === 0);
  });
});

Deno.test("MemorySearch.reindex() rebuilds every scope and drops the index of a removed folder", async () => {
  await withSearch(async (search, dir) => {
    await write(dir, `${ALICE}/memory.md`, "Prefers trains to planes.\n");
    await write(dir, "bob@example.org/memory.md", "Owns a tandem bicycle.\n");
    await write(dir, "shared/team.md", "# Team\nStand-up at 9:30.\n");
    assertEquals((await texts(search, "tandem", "bob@example.org")).length, 1);
    await Deno.remove(join(dir, "bob@example.org"), { recursive: true });
    const progress: string[] = [];
    const result = await search.reindex((p) => progress.push(`${p.done}/${p.total} ${p.scope}`));
    assertEquals(progress, [`1/2 ${ALICE}`, "2/2 @shared"]);
    assertEquals(result, { scopes: 2, chunks: 2 });
    assertEquals(
      [...Deno.readDirSync(join(dir, "search", "conversations"))].map((e) => e.name)
        .filter((name) => name.endsWith(".sqlite")),
      [`${ALICE}.sqlite`],
    );
  });
});

Deno.test("MemorySearch lets other work run while it indexes a large session", async () => {
  await withSearch(async (search, dir) => {
    const messages: [string, string][] = Array.from({ length: 6000 }, (_, i) => [
      i % 2 === 0 ? "user" : "assistant",
      `message ${i} ${"w".repeat(300)}`,
    ]);
    await write(dir, `${ALICE}/sessions/20261120-100000.jsonl`, sessionFile(messages));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await search.search(ALICE, "message 5999");
    } finally {
      clearInterval(timer);
    }
    assertTrue(ticks >= 3, `timers ran while indexing (${ticks} times)`);
  });
});
