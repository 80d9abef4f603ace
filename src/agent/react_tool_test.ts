import { assertEquals } from "../../tests/support/assert.ts";
import type { XmppAction } from "../xmpp/mod.ts";
import { TurnReactions } from "./react_tool.ts";

Deno.test("TurnReactions sends the whole set of the agent's reactions to a message", () => {
  const sent: XmppAction[] = [];
  const reactions = new TurnReactions({
    to: "alice@localhost/phone",
    messageId: "m2",
    knows: (id) => id === "m1" || id === "m2",
    send: (action) => sent.push(action),
  });
  const call = (input: Record<string, unknown>) =>
    reactions.call({ id: "t", name: "react", input });
  assertEquals(call({ emoji: "👍" }).is_error, false);
  assertEquals(call({ emoji: "🇫🇷" }).is_error, false);
  assertEquals(call({ emoji: "👍🏽", message_id: "m1" }).is_error, false);
  assertEquals(sent, [
    { type: "react", to: "alice@localhost/phone", messageId: "m2", emojis: ["👍"] },
    { type: "react", to: "alice@localhost/phone", messageId: "m2", emojis: ["👍", "🇫🇷"] },
    { type: "react", to: "alice@localhost/phone", messageId: "m1", emojis: ["👍🏽"] },
  ]);
  assertEquals(reactions.entries(), [
    { message_id: "m2", emojis: ["👍", "🇫🇷"] },
    { message_id: "m1", emojis: ["👍🏽"] },
  ]);
});

Deno.test("TurnReactions refuses words, unknown messages and a missing target", () => {
  const reactions = new TurnReactions({ to: "a@b/c", knows: () => false, send: () => {} });
  const content = (input: Record<string, unknown>) =>
    reactions.call({ id: "t", name: "react", input });
  assertEquals(content({ emoji: "ok" }).content, '"ok" is not an emoji');
  assertEquals(content({ emoji: "1" }).content, '"1" is not an emoji');
  assertEquals(
    content({ emoji: "👍" }).content,
    "There is no message to react to: give message_id",
  );
  assertEquals(
    content({ emoji: "👍", message_id: "x" }).content,
    'No message "x" in this conversation',
  );
  assertEquals(reactions.sent, false);
});
