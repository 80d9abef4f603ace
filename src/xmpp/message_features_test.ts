import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import {
  buildAcknowledgement,
  buildChatStateMessage,
  buildMessage,
  parseMessage,
} from "./message.ts";
import { parseXml } from "./_xml.ts";

const parse = (inner: string, attrs = 'id="m1"') =>
  parseMessage(
    parseXml(
      `<message from="alice@localhost/phone" to="bot@localhost" type="chat" ${attrs}>${inner}</message>`,
    ),
  );

Deno.test("parseMessage() reads receipt requests, markable and corrections", () => {
  const event = parse(
    `<body>fixed</body><request xmlns="urn:xmpp:receipts"/>` +
      `<markable xmlns="urn:xmpp:chat-markers:0"/><replace xmlns="urn:xmpp:message-correct:0" id="m0"/>`,
  );
  assertEquals(
    [event?.receipt, event?.markable, event?.replaces, event?.body],
    [true, true, "m0", "fixed"],
  );
  // Without an id nothing could name the message: no receipt, no marker.
  const anonymous = parse(
    `<body>x</body><request xmlns="urn:xmpp:receipts"/><markable xmlns="urn:xmpp:chat-markers:0"/>`,
    "",
  );
  assertEquals([anonymous?.receipt, anonymous?.markable], [undefined, undefined]);
});

Deno.test("parseMessage() strips a reply's fallback quote from the body and keeps it as the quote", () => {
  const body = "> first line\n> second 😀\nmy answer";
  const end = [..."> first line\n> second 😀\n"].length;
  for (const ns of ["urn:xmpp:fallback:0", "urn:xmpp:feature-fallback:0"]) {
    const event = parse(
      `<body>${body}</body><reply xmlns="urn:xmpp:reply:0" to="bot@localhost" id="r1"/>` +
        `<fallback xmlns="${ns}" for="urn:xmpp:reply:0"><body start="0" end="${end}"/></fallback>`,
    );
    assertEquals(event?.body, "my answer");
    assertEquals(event?.reply, { id: "r1", to: "bot@localhost", quote: "first line\nsecond 😀" });
  }
  // A range that does not fit the body is ignored: nothing is cut.
  const bad = parse(
    `<body>short</body><reply xmlns="urn:xmpp:reply:0" id="r1"/>` +
      `<fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body start="0" end="99"/></fallback>`,
  );
  assertEquals([bad?.body, bad?.reply], ["short", { id: "r1" }]);
});

Deno.test("buildMessage() makes chat answers markable, with correction and reply when asked", () => {
  const plain = buildMessage({ type: "message", to: "alice@localhost/phone", body: "hi" }, "a1");
  assertTrue(plain.getChild("markable", "urn:xmpp:chat-markers:0") !== undefined);
  const room = buildMessage(
    { type: "message", to: "r@muc", body: "hi", messageType: "groupchat" },
    "a2",
  );
  assertEquals(room.getChild("markable", "urn:xmpp:chat-markers:0"), undefined);
  const answer = buildMessage({
    type: "message",
    to: "alice@localhost/phone",
    body: "the answer",
    replaces: "a0",
    reply: { id: "q1", to: "alice@localhost", quote: "what is it?" },
  }, "a3");
  assertEquals(answer.getChild("replace", "urn:xmpp:message-correct:0")?.attrs.id, "a0");
  assertEquals(answer.getChild("reply", "urn:xmpp:reply:0")?.attrs.id, "q1");
  assertEquals(answer.getChildText("body"), "> what is it?\nthe answer");
  const range = answer.getChild("fallback", "urn:xmpp:fallback:0")?.getChild("body");
  assertEquals([range?.attrs.start, range?.attrs.end], ["0", String("> what is it?\n".length)]);
});

Deno.test("a receipt and a marker travel in one stanza; displayed rides with composing", () => {
  const ack = buildAcknowledgement({
    type: "acknowledge",
    to: "alice@localhost/phone",
    id: "m1",
    receipt: true,
    marker: "received",
  }, "x1").toString();
  assertIncludes(ack, '<received xmlns="urn:xmpp:receipts" id="m1"/>');
  assertIncludes(ack, '<received xmlns="urn:xmpp:chat-markers:0" id="m1"/>');
  const composing = buildChatStateMessage({
    type: "chat_state",
    to: "alice@localhost/phone",
    state: "composing",
    displayed: "m1",
  }, "x2").toString();
  assertIncludes(composing, "<composing");
  assertIncludes(composing, '<displayed xmlns="urn:xmpp:chat-markers:0" id="m1"/>');
});
