import { assertEquals } from "../../tests/support/assert.ts";
import type { HistoryEntry } from "../memory/mod.ts";
import { replayProgress, storedAnswers } from "./replay_progress.ts";

const AT = "2026-12-01T10:00:00.000Z";

function entry(role: "user" | "assistant", content: string, extra = {}): HistoryEntry {
  return { type: "message", role, content, ts: "2026-12-01T10:00:01.000Z", ...extra };
}

function memoryOf(entries: HistoryEntry[]) {
  return { recent: () => Promise.resolve(entries) };
}

Deno.test("storedAnswers() gives the answers to the message, not a reaction or the next message's", async () => {
  const memory = memoryOf([
    entry("user", "m1", { msg_id: "q1" }),
    entry("assistant", "echo: m1", { msg_id: "a1" }),
    entry("user", "m2", { msg_id: "q2" }),
    { type: "tool_call", ts: "2026-12-01T10:00:01.000Z" },
    entry("assistant", "👍", { reaction: { message_id: "q2", emojis: ["👍"] } }),
    entry("assistant", "echo: m2", { msg_id: "a2" }),
    entry("assistant", "and more", { msg_id: "a3" }),
    entry("user", "m3", { msg_id: "q3" }),
    entry("assistant", "echo: m3", { msg_id: "a4" }),
  ]);
  const message = { id: "q2", body: "m2" };
  assertEquals(await replayProgress(memory, "alice@localhost", message, AT), "answered");
  const answers = await storedAnswers(memory, "alice@localhost", message, AT);
  assertEquals(answers.map((answer) => [answer.content, answer.msg_id]), [
    ["echo: m2", "a2"],
    ["and more", "a3"],
  ]);
});

Deno.test("storedAnswers() gives nothing for a message not stored, or stored and not answered", async () => {
  const memory = memoryOf([entry("user", "m1", { msg_id: "q1" })]);
  assertEquals(await storedAnswers(memory, "alice@localhost", { id: "q1", body: "m1" }, AT), []);
  assertEquals(await storedAnswers(memory, "alice@localhost", { id: "q9", body: "m9" }, AT), []);
  // An entry older than the message is another message with the same id.
  const later = "2026-12-01T11:00:00.000Z";
  assertEquals(await storedAnswers(memory, "alice@localhost", { id: "q1", body: "m1" }, later), []);
});
