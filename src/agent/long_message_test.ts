import { assertEquals } from "../../tests/support/assert.ts";
import { silentLogger } from "../log/mod.ts";
import type { ConversationRef, NewHistoryEntry } from "../memory/mod.ts";
import type { XmppAction } from "../xmpp/mod.ts";
import { refuseLongMessage } from "./long_message.ts";

function setup() {
  const stored: NewHistoryEntry[] = [];
  const sent: XmppAction[] = [];
  const lines: string[] = [];
  const log = { ...silentLogger(), info: (line: string) => void lines.push(line) };
  const context = {
    memory: {
      append: (_ref: ConversationRef, entry: NewHistoryEntry) => {
        stored.push(entry);
        return Promise.resolve(entry);
      },
      recent: () => Promise.resolve([]),
      lastActivity: () => Promise.resolve(null),
      archive: () => Promise.resolve(null),
      promptParts: () => Promise.resolve({}),
    },
    now: () => new Date(),
    idleTimeoutMs: 0,
    log,
  };
  return { stored, sent, lines, context };
}

Deno.test("refuseLongMessage() answers, stores a note and logs no content", async () => {
  const { stored, sent, lines, context } = setup();
  const body = "MARKER ".repeat(3000);
  const refused = await refuseLongMessage(body, { msg_id: "m1" }, {
    maxChars: 16_000,
    session: "alice@localhost",
    context,
    reply: { to: "alice@localhost/phone", messageType: "chat" },
    send: (action) => sent.push(action),
    handled: "Handled chat from alice@localhost",
  });
  assertEquals(refused, true);
  assertEquals(stored, [{
    type: "message",
    role: "user",
    content: "[A message of 21,000 characters that was not read (over the 16,000-character " +
      "limit); the sender was asked to send it as a file]",
    oversized: { chars: 21_000, limit: 16_000 },
    msg_id: "m1",
  }]);
  assertEquals(sent, [{
    type: "message",
    body: "Your message was not read: it is 21,000 characters long, and messages can have at " +
      "most 16,000. Please send long text as a file (an attachment), or in shorter messages.",
    to: "alice@localhost/phone",
    messageType: "chat",
  }]);
  assertEquals(lines, [
    "Handled chat from alice@localhost: too long (21000 characters, limit 16000), not read, " +
    "sender told",
  ]);
});

Deno.test("refuseLongMessage() lets a message at the limit through", async () => {
  const { stored, sent, context } = setup();
  const options = { maxChars: 4, session: "a@b", context, send: (a: XmppAction) => sent.push(a) };
  assertEquals(await refuseLongMessage("😀😀😀😀", {}, options), false);
  assertEquals(await refuseLongMessage("abcde", {}, options), true);
  assertEquals([stored.length, sent.length], [1, 0]);
});
