import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { buildChatStateMessage, buildMessage, parseMessage, parseReaction } from "./message.ts";
import { chatStateOf } from "./xep_0085_chat_states.ts";
import { parseXml } from "./_xml.ts";

Deno.test("parseMessage() gives the body, bare sender, id and thread", () => {
  const stanza = parseXml(
    `<message from="Alice@Localhost/phone" to="bot@localhost" type="chat" id="m1">
       <body>hello  </body><thread>t-1</thread></message>`,
  );
  assertEquals(parseMessage(stanza), {
    type: "message",
    from: "Alice@Localhost/phone",
    bare: "alice@localhost",
    to: "bot@localhost",
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

Deno.test("buildMessage() with replaces is a XEP-0308 correction of that message", () => {
  const el = buildMessage(
    { type: "message", to: "a@b", body: "longer", replaces: "first" },
    "id-2",
  );
  assertEquals(el.attrs.id, "id-2");
  assertEquals(el.getChild("replace", "urn:xmpp:message-correct:0")?.attrs.id, "first");
  assertEquals(
    buildMessage({ type: "message", to: "a@b", body: "x" }, "i").getChild("replace"),
    undefined,
  );
});

Deno.test("buildChatStateMessage() has no body", () => {
  const el = buildChatStateMessage({ type: "chat_state", to: "a@b", state: "composing" }, "x");
  assertEquals(el.getChild("body"), undefined);
  assertEquals(chatStateOf(el), "composing");
});

Deno.test("parseMessage() keeps the origin-id and several attachments, dropping a body that repeats a URL", () => {
  const stanza = parseXml(
    `<message from="a@b/c" to="x@agent.localhost" type="chat">
       <body>https://files/cat.png</body>
       <origin-id xmlns="urn:xmpp:sid:0" id="o-1"/>
       <x xmlns="jabber:x:oob"><url>https://files/cat.png</url><desc>A cat</desc></x>
       <x xmlns="jabber:x:oob"><url>https://files/dog.png</url></x></message>`,
  );
  assertEquals(parseMessage(stanza), {
    type: "message",
    from: "a@b/c",
    bare: "a@b",
    to: "x@agent.localhost",
    originId: "o-1",
    body: "",
    kind: "chat",
    attachments: [
      { url: "https://files/cat.png", description: "A cat" },
      { url: "https://files/dog.png" },
    ],
  });
});

Deno.test("parseMessage() keeps a body that says more than the attachment URL", () => {
  const stanza = parseXml(
    `<message from="a@b/c"><body>look at this</body>
       <x xmlns="jabber:x:oob"><url>https://files/cat.png</url></x></message>`,
  );
  assertEquals(parseMessage(stanza)?.body, "look at this");
});

Deno.test("parseReaction() gives the reacted message id and the deduplicated emojis", () => {
  const stanza = parseXml(
    `<message from="a@b/c" to="bot@b" type="chat"><reactions id="m-7" xmlns="urn:xmpp:reactions:0">
       <reaction>👍</reaction><reaction>🎉</reaction><reaction>👍</reaction></reactions></message>`,
  );
  assertEquals(parseReaction(stanza), {
    type: "reaction",
    from: "a@b/c",
    bare: "a@b",
    to: "bot@b",
    messageId: "m-7",
    emojis: ["👍", "🎉"],
  });
  const removed = parseXml(
    `<message from="a@b/c"><reactions id="m-7" xmlns="urn:xmpp:reactions:0"/></message>`,
  );
  assertEquals(parseReaction(removed)?.emojis, []);
  assertEquals(
    parseReaction(parseXml(`<message from="a@b/c"><body>x</body></message>`)),
    undefined,
  );
});

Deno.test("buildMessage() sends a groupchat message to the room with from and an origin-id", () => {
  const el = buildMessage(
    { type: "message", to: "room@muc", body: "hi", messageType: "groupchat", from: "bot@agent" },
    "g-1",
  );
  assertEquals(
    el.toString(),
    '<message to="room@muc" from="bot@agent" type="groupchat" id="g-1"><body>hi</body>' +
      '<origin-id xmlns="urn:xmpp:sid:0" id="g-1"/></message>',
  );
});

Deno.test("buildChatStateMessage() can address a room", () => {
  const el = buildChatStateMessage(
    { type: "chat_state", to: "room@muc", state: "composing", messageType: "groupchat" },
    "x",
  );
  assertEquals(el.attrs.type, "groupchat");
  assertEquals(chatStateOf(el), "composing");
});

Deno.test("parseMessage() keeps the first line's indentation and drops blank edges", () => {
  const body = (text: string) =>
    parseMessage(parseXml(`<message from="a@b/c"><body>${text}</body></message>`))?.body;
  assertEquals(body("    def f():\n        return 1\n"), "    def f():\n        return 1");
  assertEquals(body("\n  \n  > quoted\nreply\n\n"), "  > quoted\nreply");
  assertEquals(body("  one line  "), "  one line");
});

Deno.test("parseMessage() keeps the stanza-id of the agent's own server only", () => {
  const stanza = parseXml(
    `<message from="alice@localhost/phone" to="bot@localhost/agent" type="chat" id="m1">
       <body>hi</body>
       <stanza-id xmlns="urn:xmpp:sid:0" by="alice@localhost" id="forged"/>
       <stanza-id xmlns="urn:xmpp:sid:0" by="bot@localhost" id="sid-1"/></message>`,
  );
  assertEquals(parseMessage(stanza)?.stanzaId, "sid-1");
  const foreign = parseXml(
    `<message from="alice@localhost/phone" to="bot@localhost" type="chat"><body>hi</body>
       <stanza-id xmlns="urn:xmpp:sid:0" by="localhost" id="x"/></message>`,
  );
  assertEquals(parseMessage(foreign)?.stanzaId, undefined);
});

Deno.test("parseMessage() marks an OMEMO message encrypted and leaves its fallback body out", () => {
  const stanza = parseXml(
    `<message from="alice@localhost/phone" to="bot@localhost" type="chat" id="e1">
       <body>I sent you an OMEMO encrypted message but your client doesn't seem to support that.</body>
       <encrypted xmlns="eu.siacs.conversations.axolotl">
         <header sid="27183"><key rid="31415">BASE64</key><iv>BASE64</iv></header>
         <payload>BASE64</payload></encrypted>
       <x xmlns="jabber:x:oob"><url>https://example.org/omemo-info</url></x></message>`,
  );
  assertEquals(parseMessage(stanza), {
    type: "message",
    from: "alice@localhost/phone",
    bare: "alice@localhost",
    to: "bot@localhost",
    id: "e1",
    body: "",
    kind: "chat",
    encrypted: "omemo",
  });
});

Deno.test("parseMessage() ignores an OMEMO key transport message (no payload, no body)", () => {
  const stanza = parseXml(
    `<message from="alice@localhost/phone" to="bot@localhost" type="chat">
       <encrypted xmlns="urn:xmpp:omemo:2"><header sid="1"><keys jid="bot@localhost">
       <key rid="2">K</key></keys></header></encrypted></message>`,
  );
  assertEquals(parseMessage(stanza), undefined);
});
