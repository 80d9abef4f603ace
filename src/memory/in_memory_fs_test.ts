import assert from "node:assert/strict";
import { InMemoryFs } from "./in_memory_fs.ts";
import { MemoryStore } from "./memory_store.ts";

const JID = "bob@example.org";

Deno.test("InMemoryFs backs a MemoryStore like the disk does", async () => {
  const fs = new InMemoryFs();
  const store = new MemoryStore("/data", { fs, now: () => new Date("2025-01-02T03:04:05Z") });
  await store.append(JID, { type: "message", role: "user", content: "hi" });
  await store.append(JID, { type: "message", role: "assistant", content: "hello" });
  assert.deepEqual((await store.recent(JID, 1)).map((e) => e.content), ["hello"]);
  assert.equal(await store.archive(JID), "/data/bob@example.org/sessions/20250102-030405.jsonl");
  await store.append(JID, { type: "message", role: "user", content: "again" });
  assert.equal(await store.archive(JID), "/data/bob@example.org/sessions/20250102-030405-1.jsonl");
  assert.equal(await store.archivedSessions(JID), 2);
  fs.files.set("/data/bob@example.org/memory.md", new TextEncoder().encode("notes"));
  assert.deepEqual(await store.promptParts(JID), { memory: "notes" });
  assert.deepEqual(await store.forget(JID), ["memory.md"]);
});

Deno.test("InMemoryFs counts the bytes it hands out", async () => {
  const fs = new InMemoryFs();
  fs.files.set("/f", new Uint8Array(100));
  const reader = await fs.openRead("/f");
  await reader?.read(90, 50);
  assert.equal(fs.bytesRead, 10);
  assert.equal(await fs.openRead("/missing"), null);
});
