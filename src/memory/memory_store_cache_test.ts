import assert from "node:assert/strict";
import { join } from "node:path";
import { MemoryStore, type MemoryStoreOptions } from "./memory_store.ts";
import type { ConversationRef } from "./memory_store.ts";
import { type CountingFs, countingFs } from "./_test_fs.ts";
import type { MemoryFs } from "./memory_fs.ts";
import type { TornTailRepair } from "./_history_file.ts";
import type { HistoryEntry, MessageEntry } from "./entries.ts";

const JID = "alice@example.org";

async function withStore(
  test: (store: MemoryStore, fs: CountingFs, root: string) => Promise<void>,
  options: MemoryStoreOptions = {},
) {
  const root = await Deno.makeTempDir({ prefix: "memory_store_cache_test_" });
  const fs = countingFs(options.fs);
  const store = new MemoryStore(root, { durability: "none", ...options, fs });
  try {
    await test(store, fs, root);
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
  assert.equal(fs.open, 0, "close() leaves no file open");
}

const user = (content: string) => ({ type: "message", role: "user", content }) as const;
const bot = (content: string) => ({ type: "message", role: "assistant", content }) as const;

/** A small seeded generator, so a failing sequence can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("MemoryStore answers like a fresh store reading the files, whatever the operations", async () => {
  for (const seed of [1, 2, 3]) {
    const next = random(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
    let tick = Date.UTC(2025, 0, 1);
    const now = () => new Date(tick += 1000);
    const refs: ConversationRef[] = [JID, { jid: JID, thread: "t1" }, "bob@example.org"];
    await withStore(async (store, _fs, root) => {
      for (let step = 0; step < 300; step++) {
        const ref = pick(refs);
        const roll = next();
        const where = `seed ${seed}, step ${step}`;
        if (roll < 0.55) {
          const text = `${step} ${"é".repeat(Math.floor(next() * 50))}`;
          await store.append(ref, pick([user(text), bot(text), { type: "tool_call", step }]));
        } else if (roll < 0.6) {
          await store.archive(ref);
        } else if (roll < 0.63) {
          await store.forget(ref);
        } else {
          const n = Math.floor(next() * 9);
          const include = pick(["messages", "all"] as const);
          const fresh = new MemoryStore(root, { now, cacheEntries: 0 });
          try {
            assert.deepEqual(
              await store.recent(ref, n, { include }),
              await fresh.recent(ref, n, { include }),
              where,
            );
            assert.equal(await store.messageCount(ref), await fresh.messageCount(ref), where);
            assert.deepEqual(await store.lastActivity(ref), await fresh.lastActivity(ref), where);
          } finally {
            await fresh.close();
          }
        }
      }
    }, { now, cacheEntries: 4, cacheSessions: 2, openFiles: 1 });
  }
});

Deno.test("recent() reads no file once a session's last entries are in memory", async () => {
  await withStore(async (store, fs) => {
    for (let i = 0; i < 15; i++) {
      await store.append(JID, user(`q${i}`));
      await store.append(JID, { type: "tool_call", name: "clock" });
      await store.append(JID, bot(`a${i}`));
    }
    assert.equal((await store.recent(JID, 4)).length, 4);
    fs.bytesRead = 0;
    await store.append(JID, user("new"));
    assert.deepEqual((await store.recent(JID, 3)).map((e) => e.content), ["q14", "a14", "new"]);
    const all = await store.recent(JID, 2, { include: "all" });
    assert.deepEqual(all.map((e) => e.type), ["message", "message"]);
    const spanning = await store.recent(JID, 3, { include: "all" });
    assert.deepEqual(spanning.map((e) => e.type), ["message", "tool_call", "message", "message"]);
    assert.equal(fs.bytesRead, 0);
    // More messages than the 10 entries kept: read from the file, and still right.
    const older = await store.recent(JID, 8);
    assert.ok(fs.bytesRead > 0);
    assert.deepEqual(older.map((e) => e.content), [
      "a11",
      "q12",
      "a12",
      "q13",
      "a13",
      "q14",
      "a14",
      "new",
    ]);
  }, { cacheEntries: 10 });
});

for (const cacheEntries of [200, 0]) {
  const from = cacheEntries === 0 ? "the file" : "memory";
  Deno.test(`recent() answers from ${from} cannot be changed: the next answer is the same`, async () => {
    await withStore(async (store) => {
      await store.append(JID, {
        ...user("original"),
        attachments: [{ filename: "a.png", mime_type: "image/png", size: "1" }],
      });
      const [first] = await store.recent(JID, 1) as MessageEntry[];
      assert.ok(first);
      assert.throws(() => first.content = "changed", TypeError);
      assert.throws(() => first.attachments![0]!.filename = "b.png", TypeError);
      const [again] = await store.recent(JID, 1) as MessageEntry[];
      assert.equal(again?.content, "original");
      assert.equal(again?.attachments?.[0]?.filename, "a.png");
    }, { cacheEntries });
  });
}

Deno.test("a hand edit of user.md or instructions.md is seen once promptTtlMs has passed", async () => {
  let clock = Date.UTC(2025, 0, 1, 10);
  await withStore(async (store, fs, root) => {
    const dir = join(root, JID);
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "user.md"), "Alice, likes tea");
    assert.deepEqual(await store.promptParts(JID), { user: "Alice, likes tea" });
    fs.textReads = 0;
    await Deno.writeTextFile(join(dir, "user.md"), "Alice, likes coffee now");
    await Deno.writeTextFile(join(root, "instructions.md"), "Answer briefly");
    clock += 1999;
    assert.deepEqual(await store.promptParts(JID), { user: "Alice, likes tea" });
    assert.equal(fs.textReads, 0, "within the TTL no file is read");
    clock += 1;
    assert.deepEqual(await store.promptParts(JID), {
      user: "Alice, likes coffee now",
      instructions: "Answer briefly",
    });
    await Deno.remove(join(dir, "user.md"));
    clock -= 60_000; // a clock set back does not keep stale parts forever
    assert.deepEqual(await store.promptParts(JID), { instructions: "Answer briefly" });
  }, { now: () => new Date(clock) });
});

Deno.test("forget() drops the cached profile at once", async () => {
  await withStore(async (store, _fs, root) => {
    await store.append(JID, user("hello"));
    await Deno.writeTextFile(join(root, JID, "memory.md"), "secret notes");
    assert.equal((await store.promptParts(JID)).memory, "secret notes");
    await store.forget(JID);
    assert.deepEqual(await store.promptParts(JID), {});
    assert.deepEqual(await store.recent(JID, 5), []);
  });
});

Deno.test("MemoryStore keeps at most cacheSessions sessions and openFiles files", async () => {
  await withStore(async (store, fs) => {
    const jids = Array.from({ length: 5 }, (_, i) => `user${i}@example.org`);
    for (const jid of jids) {
      await store.append(jid, user(`hi from ${jid}`));
      await store.recent(jid, 1);
      await store.promptParts(jid);
      assert.ok(fs.open <= 2, `${fs.open} files open`);
    }
    fs.bytesRead = 0;
    fs.textReads = 0;
    await store.recent("user4@example.org", 1);
    await store.promptParts("user4@example.org");
    assert.equal(fs.bytesRead + fs.textReads, 0, "the last session is still in memory");
    assert.deepEqual((await store.recent("user0@example.org", 1)).map((e) => e.content), [
      "hi from user0@example.org",
    ]);
    assert.ok(fs.bytesRead > 0, "the first session was forgotten and read again");
    await store.promptParts("user0@example.org");
    assert.ok(fs.textReads > 0, "its prompt files too");
  }, { cacheSessions: 2, openFiles: 2 });
});

Deno.test("close() closes the history files kept open, and the store still works after", async () => {
  await withStore(async (store, fs, root) => {
    await store.append(JID, user("one"));
    await store.append("bob@example.org", user("two"));
    assert.equal(fs.open, 2);
    await store.close();
    assert.equal(fs.open, 0);
    await store.append(JID, bot("three"));
    assert.equal(fs.open, 0);
    const text = await Deno.readTextFile(join(root, JID, "history.jsonl"));
    assert.equal(text.trimEnd().split("\n").length, 3);
  });
});

Deno.test("a failed append is repaired on the next access, cache and all", async () => {
  const repairs: TornTailRepair[] = [];
  let failNext = false;
  const inner = countingFs();
  const failing: MemoryFs = {
    ...inner,
    async openAppend(path) {
      const appender = await inner.openAppend(path);
      return {
        size: appender.size,
        async write(data) {
          if (!failNext) return await appender.write(data);
          failNext = false;
          await appender.write(data.subarray(0, data.length >> 1));
          throw new Error("No space left on device");
        },
        syncData: () => appender.syncData(),
        close: () => appender.close(),
      };
    },
  };
  await withStore(async (store) => {
    await store.append(JID, user("kept"));
    assert.equal((await store.recent(JID, 5)).length, 1);
    failNext = true;
    await assert.rejects(store.append(JID, bot("half written")), /No space left/);
    await store.append(JID, bot("after"));
    assert.deepEqual((await store.recent(JID, 5)).map((e) => e.content), ["kept", "after"]);
    assert.equal(await store.messageCount(JID), 2);
  }, { fs: failing, onRepair: (repair) => repairs.push(repair) });
  assert.equal(inner.open, 0);
  assert.deepEqual(repairs.map((r) => r.action), ["moved"]);
});

Deno.test("MemoryStore rejects a cache size that is not a count", () => {
  assert.throws(() => new MemoryStore("/data", { cacheEntries: -1 }), RangeError);
  assert.throws(() => new MemoryStore("/data", { promptTtlMs: 1.5 }), /promptTtlMs/);
});

Deno.test("findRecent() finds an entry of a session's tail, after a restart too, and no older one", async () => {
  const root = await Deno.makeTempDir({ prefix: "memory_store_find_test_" });
  const withId = (id: string) => (entry: HistoryEntry) => entry.msg_id === id;
  try {
    const first = new MemoryStore(root, { durability: "none", cacheEntries: 5 });
    for (let i = 0; i < 8; i++) {
      await first.append(JID, { ...user(`q${i}`), msg_id: `m${i}` });
    }
    assert.equal((await first.findRecent(JID, withId("m7")))?.content, "q7");
    // Looked up by id: found while the tail holds it, not once it has left the tail.
    const byId = (id: string) => first.findRecent(JID, withId(id), { ids: [id, "other"] });
    assert.equal((await byId("m6"))?.content, "q6");
    assert.equal(await byId("m2"), undefined, "left the tail");
    await first.append(JID, { ...user("q8"), msg_id: "m8" });
    assert.equal((await byId("m8"))?.content, "q8");
    assert.equal(await byId("m3"), undefined, "pushed out by m8");
    await first.close();
    // A new store (the agent restarted) reads the tail back from the file's end.
    const fs = countingFs();
    const second = new MemoryStore(root, { durability: "none", cacheEntries: 5, fs });
    assert.equal((await second.findRecent(JID, withId("m4"), { ids: ["m4"] }))?.content, "q4");
    const read = fs.bytesRead;
    assert.equal(await second.findRecent(JID, withId("m2")), undefined, "older than the tail");
    assert.equal(fs.bytesRead, read, "the tail is searched in memory");
    await second.close();
    const uncached = new MemoryStore(root, { durability: "none", cacheEntries: 0 });
    assert.equal((await uncached.findRecent(JID, withId("m0")))?.content, "q0");
    assert.equal(await uncached.findRecent("bob@example.org", withId("m0")), undefined);
    await uncached.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
