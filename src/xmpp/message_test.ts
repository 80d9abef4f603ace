import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { buildChatStateMessage, buildMessage, parseMessage } from "./message.ts";
import { chatStateOf } from "./xep_0085_chat_states.ts";
import { parseXml } from "./_xml.ts";

Deno.test("parseMessage() gives the trimmed body, bare sender, id and thread", () => {
  const stanza = parseXml(
    `<message from="Alice@Localhost/phone" to="bot@localhost" type="chat" id="m1">
       <body>  hello  </body><thread>t-1</thread></message>`,
  );
  assertEquals(parseMessage(stanza), {
    type: "message",
    from: "Alice@Localhost/phone",
    bare: "alice@localhost",
    id: "m1",
    body: "hello",
    thread: "t-1",
    kind: "chat",
  });
});

Deno.test("parseMessage() ignores error, headline, groupchat, chat-state-only and empty messages", () => {
  const ignored = [
    `<message from="a@b/c" type="error"><body>bounce</body></message>`,
    `<message from="a@b/c" type="headline"><body>news</body></message>`,
    `<message from="r@muc/n" type="groupchat"><body>hi</body></message>`,
    `<message from="a@b/c" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`,
    `<message from="a@b/c" type="chat"><body>   </body></message>`,
    `<message type="chat"><body>no sender</body></message>`,
  ];
  for (const text of ignored) assertEquals(parseMessage(parseXml(text)), undefined, text);
});

Deno.test("parseMessage() accepts a normal message without a type", () => {
  assertEquals(
    parseMessage(parseXml(`<message from="a@b"><body>x</body></message>`))?.kind,
    "normal",
  );
});

Deno.test("buildMessage() carries the id, an origin-id, the thread and the chat state", () => {
  const el = buildMessage(
    { type: "message", to: "a@b", body: "hi <you>", thread: "t", chatState: "active" },
    "id-1",
  );
  assertEquals(el.attrs.id, "id-1");
  assertEquals(el.getChildText("body"), "hi <you>");
  assertEquals(el.getChildText("thread"), "t");
  assertEquals(chatStateOf(el), "active");
  assertIncludes(el.toString(), '<origin-id xmlns="urn:xmpp:sid:0" id="id-1"/>');
});

Deno.test("buildChatStateMessage() has no body", () => {
  const el = buildChatStateMessage({ type: "chat_state", to: "a@b", state: "composing" }, "x");
  assertEquals(el.getChild("body"), undefined);
  assertEquals(chatStateOf(el), "composing");
});
