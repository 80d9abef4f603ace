import { assertEquals } from "../../tests/support/assert.ts";
import { historyMessages } from "./history_messages.ts";

const ts = "2026-11-27T00:00:00.000Z";

Deno.test("historyMessages() starts with the user and merges repeated roles", () => {
  const messages = historyMessages([
    { type: "message", role: "assistant", content: "orphan", ts },
    { type: "message", role: "user", content: "first", ts },
    { type: "message", role: "user", content: "again", ts },
    { type: "tool_call", ts },
    { type: "message", role: "assistant", content: "answer", ts },
  ]);
  assertEquals(messages, [
    { role: "user", content: "first\n\nagain" },
    { role: "assistant", content: "answer" },
  ]);
});
