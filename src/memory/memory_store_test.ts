import assert from "node:assert/strict";
import { join } from "node:path";
import { MemoryStore } from "./memory_store.ts";
import { countingFs } from "./_test_fs.ts";
import type { MemoryFs } from "./memory_fs.ts";
import type { TornTailRepair } from "./_history_file.ts";
import type { MemoryChange } from "./memory_store_options.ts";

const JID = "alice@example.org";

async function withStore(
  test: (store: MemoryStore, root: string) => Promise<void>,
  options: {
    fs?: MemoryFs;
    now?: () => Date;
    onRepair?: (r: TornTailRepair) => void;
    onChange?: (change: MemoryChange) => void;
  } = {},
) {
  const root = await Deno.makeTempDir({ prefix: "memory_store_test_" });
  const fs = countingFs(options.fs);
  const store = new MemoryStore(root, { ...options, fs, durability: "none" });
  try {
    await test(store, root);
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
  assert.equal(fs.open, 0, "close() leaves no file open");
}

function historyOf(root: string, jid = JID): string {
  return join(root, jid, "history.jsonl");
}

async function linesOf(path: string): Promise<unknown[]> {
  const text = await Deno.readTextFile(path);
  assert.ok(text.endsWith("\n"), "the file ends on a newline");
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line));
}

const user = (content: string) => ({ type: "message", role: "user", content }) as const;
const bot = (content: string) => ({ type: "message", role: "assistant", content }) as const;

Deno.test("append() writes a session header, then one JSON line per entry", async () => {
  const now = () => new Date("2025-03-04T05:06:07.000Z");
  await withStore(async (store, root) => {
    await store.append("Alice@Example.org", { ...user("Hello"), msg_id: "m1", sender: JID });
    await store.append(JID, bot("Hi!"));
    assert.deepEqual(await linesOf(historyOf(root)), [
      { type: "session", version: 1, created: "2025-03-04T05:06:07.000Z", jid: JID },
      { ...user("Hello"), msg_id: "m1", sender: JID, ts: "2025-03-04T05:06:07.000Z" },
      { ...bot("Hi!"), ts: "2025-03-04T05:06:07.000Z" },
    ]);
  }, { now });
});

Deno.test("append() starts a new header when the file exists but is empty", async () => {
  await withStore(async (store, root) => {
    await Deno.mkdir(join(root, JID));
    await Deno.writeTextFile(historyOf(root), "");
    await store.append(JID, user("x"));
    const [header] = await linesOf(historyOf(root));
    assert.equal((header as { type: string }).type, "session");
  });
});

Deno.test("append() rejects a bad entry or JID without writing", async () => {
  await withStore(async (store, root) => {
    await assert.rejects(store.append("../etc@x", user("x")), TypeError);
    await assert.rejects(store.append(JID, { type: "session" }), /Invalid history entry type/);
    await assert.rejects(
      store.append(JID, { type: "message", role: "system", content: "x" }),
      /role must be "user" or "assistant"/,
    );
    assert.deepEqual([...Deno.readDirSync(root)], []);
  });
});

Deno.test("append() writes every entry whole, small ones and ones of hundreds of KiB", async () => {
  await withStore(async (store, root) => {
    const long = "x".repeat(300 * 1024);
    await store.append(JID, user("before"));
    await store.append(JID, bot(long));
    await store.append(JID, user("after"));
    const lines = await linesOf(historyOf(root)) as { content?: string }[];
    assert.deepEqual(lines.slice(1).map((line) => line.content?.length), [6, long.length, 5]);
  });
});

Deno.test("a JID refused once is refused every time, by every method", async () => {
  await withStore(async (store, root) => {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(store.append("../etc@x", user("x")), TypeError);
      await assert.rejects(store.recent("../etc@x", 1), TypeError);
      await assert.rejects(store.promptParts("../etc@x"), TypeError);
    }
    assert.deepEqual([...Deno.readDirSync(root)], []);
  });
});

Deno.test("recent() returns the last n messages, oldest first, skipping other types", async () => {
  await withStore(async (store, root) => {
    for (let i = 0; i < 5; i++) {
      await store.append(JID, user(`q${i}`));
      await store.append(JID, { type: "tool_call", name: "clock", ts: "2025-01-01T00:00:00Z" });
      await store.append(JID, bot(`a${i}`));
    }
    const recent = await store.recent(JID, 3);
    assert.deepEqual(recent.map((e) => e.content), ["a3", "q4", "a4"]);
    const all = await store.recent(JID, 3, { include: "all" });
    assert.deepEqual(all.map((e) => e.type), ["message", "message", "tool_call", "message"]);
    assert.equal((await store.recent(JID, 100)).length, 10);
    assert.deepEqual(await store.recent(JID, 0), []);
    assert.deepEqual(await store.recent("nobody@example.org", 5), []);
    await assert.rejects(store.recent(JID, -1), RangeError);
    // Unknown entries stay in the file.
    assert.equal((await linesOf(historyOf(root))).length, 16);
  });
});

Deno.test("recent() reads files written by hand, skipping malformed lines", async () => {
  await withStore(async (store, root) => {
    await Deno.mkdir(join(root, JID));
    await Deno.writeTextFile(
      historyOf(root),
      [
        `{"type":"session","version":1,"created":"2024-01-01T00:00:00+00:00","jid":"${JID}"}`,
        `{"type":"message","role":"user","content":"one","ts":"2024-01-01T00:00:01.123456789+00:00"}`,
        `not json`,
        `{"type":"message","role":"wizard","content":"bad role"}`,
        `{"type":"reaction","message_id":"x","emojis":["👍"]}`,
        `{"type":"message","role":"assistant","content":"two"}`,
        ``,
      ].join("\n"),
    );
    assert.deepEqual((await store.recent(JID, 10)).map((e) => e.content), ["one", "two"]);
    assert.equal(await store.messageCount(JID), 2);
    assert.equal((await store.lastActivity(JID))?.toISOString(), "2024-01-01T00:00:01.123Z");
  });
});

Deno.test("a torn last line is skipped and cut off, and the next append starts a fresh line", async () => {
  const repairs: TornTailRepair[] = [];
  await withStore(async (store, root) => {
    await Deno.mkdir(join(root, JID));
    const good =
      `{"type":"session","version":1,"created":"2024-01-01T00:00:00Z","jid":"${JID}"}\n` +
      `{"type":"message","role":"user","content":"kept","ts":"2024-01-01T00:00:01Z"}\n`;
    const torn = `{"type":"message","role":"assistant","content":"half an ans`;
    await Deno.writeTextFile(historyOf(root), good + torn);
    assert.deepEqual((await store.recent(JID, 10)).map((e) => e.content), ["kept"]);
    assert.equal(await Deno.readTextFile(historyOf(root)), good);
    assert.equal(await Deno.readTextFile(historyOf(root) + ".torn"), torn + "\n");
    await store.append(JID, bot("after"));
    const contents = (await linesOf(historyOf(root))).map((e) =>
      (e as { content?: string }).content
    );
    assert.deepEqual(contents, [undefined, "kept", "after"]);
  }, { onRepair: (repair) => repairs.push(repair) });
  assert.equal(repairs.length, 1);
  assert.equal(repairs[0]?.action, "moved");
});

Deno.test("a whole entry missing only its newline is kept", async () => {
  await withStore(async (store, root) => {
    await Deno.mkdir(join(root, JID));
    await Deno.writeTextFile(
      historyOf(root),
      `{"type":"message","role":"user","content":"whole","ts":"2024-01-01T00:00:01Z"}`,
    );
    await store.append(JID, bot("next"));
    assert.deepEqual((await store.recent(JID, 10)).map((e) => e.content), ["whole", "next"]);
  });
});

Deno.test("concurrent appends to one conversation never interleave", async () => {
  await withStore(async (store, root) => {
    const big = "x".repeat(100_000);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.append(JID, user(`${i}:${big}`))),
    );
    const lines = await linesOf(historyOf(root)); // throws on an interleaved line
    assert.equal(lines.length, 51);
    assert.equal(await store.messageCount(JID), 50);
  });
});

Deno.test("conversations run in parallel and stay apart", async () => {
  await withStore(async (store) => {
    const jids = Array.from({ length: 20 }, (_, i) => `user${i}@example.org`);
    await Promise.all(jids.map(async (jid) => {
      for (let i = 0; i < 10; i++) await store.append(jid, user(`${jid} ${i}`));
    }));
    for (const jid of jids) {
      const recent = await store.recent(jid, 10);
      assert.equal(recent.length, 10);
      assert.ok(recent.every((e) => e.content?.toString().startsWith(jid)));
    }
  });
});

Deno.test("messageCount() and lastActivity() follow appends, archives and forgets", async () => {
  let clock = new Date("2025-01-01T10:00:00Z");
  await withStore(async (store) => {
    assert.equal(await store.messageCount(JID), 0);
    assert.equal(await store.lastActivity(JID), null);
    await store.append(JID, user("a"));
    clock = new Date("2025-01-01T10:05:00Z");
    await store.append(JID, { type: "tool_call" });
    await store.append(JID, bot("b"));
    assert.equal(await store.messageCount(JID), 2);
    assert.equal((await store.lastActivity(JID))?.toISOString(), "2025-01-01T10:05:00.000Z");
    await store.archive(JID);
    assert.equal(await store.messageCount(JID), 0);
    assert.equal(await store.lastActivity(JID), null);
    await store.append(JID, user("c"));
    await store.forget(JID);
    assert.equal(await store.messageCount(JID), 0);
  }, { now: () => clock });
});

Deno.test("archive() moves the session aside and never overwrites an archive", async () => {
  const now = () => new Date("2025-06-07T08:09:10Z");
  await withStore(async (store, root) => {
    assert.equal(await store.archive(JID), null);
    const paths = [];
    for (let i = 0; i < 3; i++) {
      await store.append(JID, user(`session ${i}`));
      paths.push(await store.archive(JID));
    }
    const sessions = join(root, JID, "sessions");
    assert.deepEqual(paths, [
      join(sessions, "20250607-080910.jsonl"),
      join(sessions, "20250607-080910-1.jsonl"),
      join(sessions, "20250607-080910-2.jsonl"),
    ]);
    assert.equal(await store.archivedSessions(JID), 3);
    assert.match(await Deno.readTextFile(paths[1] ?? ""), /"session 1"/);
    assert.equal(await store.archive(JID), null);
    await store.append(JID, user("fresh"));
    const [header] = await linesOf(historyOf(root));
    assert.equal((header as { type: string }).type, "session");
    assert.deepEqual((await store.recent(JID, 10)).map((e) => e.content), ["fresh"]);
  }, { now });
});

Deno.test("forget() erases history and profile but keeps archives and identity", async () => {
  await withStore(async (store, root) => {
    await store.append(JID, user("secret"));
    await store.archive(JID);
    await store.append(JID, user("secret 2"));
    const dir = join(root, JID);
    for (const name of ["user.md", "context.md", "memory.md", "identity.md"]) {
      await Deno.writeTextFile(join(dir, name), `${name} text`);
    }
    assert.equal((await store.promptParts(JID)).user, "user.md text");
    const removed = await store.forget(JID);
    assert.deepEqual(removed.sort(), ["context.md", "history.jsonl", "memory.md", "user.md"]);
    assert.deepEqual(await store.recent(JID, 10), []);
    assert.equal(await store.archivedSessions(JID), 1);
    assert.deepEqual(await store.promptParts(JID), { identity: "identity.md text" });
  });
});

Deno.test("forget() of the conversation erases every thread's session too; a thread's only its own", async () => {
  await withStore(async (store) => {
    const a = { jid: JID, thread: "th-A" };
    const b = { jid: JID, thread: "odd thread/../id" };
    await store.append(a, user("thread secret"));
    await store.archive(a);
    await store.append(a, user("thread secret 2"));
    await store.append(b, user("other thread"));
    await store.append(JID, user("main"));

    const [thread, ...rest] = await store.forget(b);
    assert.match(thread ?? "", /^threads\/h-[0-9a-f]{32}\/history\.jsonl$/);
    assert.deepEqual(rest, []);
    assert.deepEqual((await store.recent(a, 10)).length, 1, "forgetting one thread keeps another");

    const removed = await store.forget(JID);
    assert.deepEqual(removed.sort(), ["history.jsonl", "threads/th-A/history.jsonl"]);
    assert.deepEqual(await store.recent(a, 10), []);
    assert.equal(await store.archivedSessions(a), 1, "a thread's archives are kept");
    await store.append(a, user("after"));
    assert.deepEqual((await store.recent(a, 10)).map((e) => (e as { content: string }).content), [
      "after",
    ]);
  });
});

Deno.test("promptParts() prefers the conversation's files, then the global ones", async () => {
  let clock = new Date("2025-01-01T10:00:00Z");
  await withStore(async (store, root) => {
    const dir = join(root, JID);
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(root, "identity.md"), "global identity");
    await Deno.writeTextFile(join(root, "personality.md"), "global personality");
    await Deno.writeTextFile(join(root, "instructions.md"), "  \n");
    await Deno.writeTextFile(join(dir, "personality.md"), "room personality");
    await Deno.writeTextFile(join(dir, "user.md"), "\n\t");
    await Deno.writeTextFile(join(dir, "context.md"), "legacy profile");
    await Deno.writeTextFile(join(dir, "memory.md"), "likes tea");
    assert.deepEqual(await store.promptParts(JID), {
      identity: "global identity",
      personality: "room personality",
      user: "legacy profile",
      memory: "likes tea",
    });
    await Deno.writeTextFile(join(dir, "user.md"), "current profile");
    clock = new Date("2025-01-01T10:00:02Z");
    assert.equal((await store.promptParts(JID)).user, "current profile");
    assert.deepEqual(await store.promptParts("bob@example.org"), {
      identity: "global identity",
      personality: "global personality",
    });
  }, { now: () => clock });
});

Deno.test("recent() on a 100,000-entry session reads only the end of the file", async () => {
  const fs = countingFs();
  await withStore(async (store, root) => {
    await Deno.mkdir(join(root, JID));
    const lines = [
      `{"type":"session","version":1,"created":"2024-01-01T00:00:00Z","jid":"${JID}"}`,
    ];
    for (let i = 0; i < 100_000; i++) {
      const role = i % 2 === 0 ? "user" : "assistant";
      lines.push(JSON.stringify({ type: "message", role, content: `message ${i}`, ts: "2024" }));
    }
    await Deno.writeTextFile(historyOf(root), lines.join("\n") + "\n");
    const size = (await Deno.stat(historyOf(root))).size;

    const recent = await store.recent(JID, 20);
    assert.equal(recent.length, 20);
    assert.deepEqual(
      recent.map((e) => e.content),
      Array.from({ length: 20 }, (_, i) => `message ${99_980 + i}`),
    );
    assert.ok(fs.bytesRead < 50_000, `read ${fs.bytesRead} of ${size} bytes`);
    fs.bytesRead = 0;
    assert.equal((await store.lastActivity(JID))?.getUTCFullYear(), 2024);
    assert.ok(fs.bytesRead < 20_000, `lastActivity() read ${fs.bytesRead} bytes`);
    assert.equal(await store.messageCount(JID), 100_000);
    await store.append(JID, user("one more"));
    assert.equal(await store.messageCount(JID), 100_001);
  }, { fs });
});

Deno.test("MemoryStore keeps a thread's session apart from the default session", async () => {
  await withStore(async (store, root) => {
    const thread = { jid: JID, thread: "plans" };
    await store.append(JID, user("default"));
    await store.append(thread, user("in the thread"));
    assert.deepEqual((await store.recent(JID, 10)).map((e) => e.content), ["default"]);
    assert.deepEqual((await store.recent(thread, 10)).map((e) => e.content), ["in the thread"]);
    const header = (await linesOf(join(root, JID, "threads", "plans", "history.jsonl")))[0];
    assert.deepEqual((header as { thread?: string }).thread, "plans");
    assert.ok(await store.archive(thread));
    assert.equal(await store.messageCount(thread), 0);
    assert.equal(await store.messageCount(JID), 1, "archiving a thread leaves the default session");
    assert.equal(await store.archivedSessions(JID), 0);
    assert.equal(await store.archivedSessions(thread), 1);
  });
});

Deno.test("MemoryStore names a hostile thread id's folder by its hash", async () => {
  await withStore(async (store, root) => {
    await store.append({ jid: JID, thread: "../../etc/passwd" }, user("x"));
    const folders = [...Deno.readDirSync(join(root, JID, "threads"))].map((e) => e.name);
    assert.equal(folders.length, 1);
    assert.match(folders[0] ?? "", /^h-[0-9a-f]{32}$/);
  });
});

Deno.test("MemoryStore tells onChange of each append, archive and forget, and survives a failing hook", async () => {
  const changes: unknown[] = [];
  let fail = false;
  await withStore(async (store) => {
    await store.append("Alice@Example.org", user("hi"));
    await store.append({ jid: JID, thread: "plans" }, user("in the thread"));
    await store.archive(JID);
    fail = true;
    await store.append(JID, user("the hook throws, the entry is written"));
    fail = false;
    await store.forget(JID);
    assert.equal(await store.messageCount(JID), 0);
  }, {
    onChange: (change) => {
      if (fail) throw new Error("hook failed");
      changes.push(change);
    },
  });
  assert.deepEqual(changes, [
    { jid: JID, kind: "append" },
    { jid: JID, thread: "plans", kind: "append" },
    { jid: JID, kind: "archive" },
    { jid: JID, kind: "forget" },
  ]);
});

Deno.test("MemoryStore.findMessage() finds a message by id, as corrected, in archives too", () =>
  withStore(async (store) => {
    await store.append(JID, { type: "message", role: "user", content: "old", msg_id: "a1" });
    await store.archive(JID);
    await store.append(JID, { type: "message", role: "user", content: "typo", msg_id: "b1" });
    await store.append(JID, {
      type: "message",
      role: "user",
      content: "fixed",
      msg_id: "b2",
      replaces: "b1",
    });
    assert.equal((await store.findMessage(JID, "a1"))?.content, "old");
    assert.equal((await store.findMessage(JID, "b1"))?.content, "fixed");
    assert.equal(await store.findMessage(JID, "nope"), undefined);
  }));
