import { assertEquals } from "../../tests/support/assert.ts";
import type { HistoryEntry } from "../memory/mod.ts";
import { roomProgress } from "./room_progress.ts";

const AT = "2026-12-01T10:00:00.000Z";
const ROOM = "dev@conference.localhost";

function message(content: string, extra: Record<string, unknown> = {}): HistoryEntry {
  return {
    type: "message",
    role: "user",
    content,
    sender: "carol@muc",
    ts: "2026-12-01T10:00:01.000Z",
    ...extra,
  };
}

function answer(content: string, extra: Record<string, unknown> = {}): HistoryEntry {
  return { type: "message", role: "assistant", content, ts: "2026-12-01T10:00:02.000Z", ...extra };
}

function memoryOf(entries: HistoryEntry[]) {
  const asked: number[] = [];
  return {
    asked,
    recent: (_ref: unknown, n: number) => {
      asked.push(n);
      return Promise.resolve(entries.slice(-n));
    },
  };
}

const carol = (body: string, msgId?: string) => ({ msgId, body, sender: "carol@muc" });

Deno.test("roomProgress() finds the answer that names the message, wherever it is", async () => {
  const memory = memoryOf([
    message("bot: one", { msg_id: "s1" }),
    message("lunch?", { msg_id: "s2", sender: "dave@muc" }),
    answer("for dave", { msg_id: "a0", answers: "s2" }),
    answer("first answer", { msg_id: "a1", answers: "s1" }),
    answer("👍", { reaction: { message_id: "s1", emojis: ["👍"] }, answers: "s1" }),
  ]);
  const progress = await roomProgress(memory, ROOM, carol("bot: one", "s1"), AT);
  assertEquals(progress.state, "answered");
  assertEquals(progress.unreflected.map((entry) => entry.msg_id), ["a1"]);
});

Deno.test("roomProgress() leaves out answers the room reflected", async () => {
  const memory = memoryOf([
    message("bot: one", { msg_id: "s1" }),
    answer("part one", { msg_id: "a1", answers: "s1" }),
    { type: "reflection", msg_id: "a1", stanza_id: "s9", ts: "2026-12-01T10:00:03.000Z" },
    answer("part two", { msg_id: "a2", answers: "s1" }),
  ]);
  const progress = await roomProgress(memory, ROOM, carol("bot: one", "s1"), AT);
  assertEquals(progress.unreflected.map((entry) => entry.content), ["part two"]);
});

Deno.test("roomProgress() tells stored from new, and an answer to another message is not its own", async () => {
  const memory = memoryOf([
    message("bot: one", { msg_id: "s1" }),
    answer("for someone else", { msg_id: "a0", answers: "s0" }),
  ]);
  assertEquals((await roomProgress(memory, ROOM, carol("bot: one", "s1"), AT)).state, "stored");
  assertEquals((await roomProgress(memory, ROOM, carol("bot: two", "s5"), AT)).state, "new");
  // An entry older than the message is another message with the same id.
  const later = "2026-12-01T11:00:00.000Z";
  assertEquals((await roomProgress(memory, ROOM, carol("bot: one", "s1"), later)).state, "new");
});

Deno.test("roomProgress() reads an answer without `answers` by its place, up to the next message", async () => {
  const memory = memoryOf([
    message("bot: old", { msg_id: "s1" }),
    answer("old answer", { msg_id: "a1" }),
    message("bot: stored", { msg_id: "s2" }),
    message("bot: no id"),
    answer("an answer to no id"),
  ]);
  const old = await roomProgress(memory, ROOM, carol("bot: old", "s1"), AT);
  assertEquals([old.state, old.unreflected.map((entry) => entry.msg_id)], ["answered", ["a1"]]);
  assertEquals((await roomProgress(memory, ROOM, carol("bot: stored", "s2"), AT)).state, "stored");
  assertEquals((await roomProgress(memory, ROOM, carol("bot: no id"), AT)).state, "answered");
});

Deno.test("roomProgress() searches a bounded number of recent entries", async () => {
  const memory = memoryOf([message("bot: one", { msg_id: "s1" })]);
  await roomProgress(memory, ROOM, carol("bot: one", "s1"), AT);
  assertEquals(memory.asked, [200]);
});
