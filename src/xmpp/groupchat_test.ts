import { assertEquals } from "../../tests/support/assert.ts";
import { parseGroupchat, type RoomView } from "./groupchat.ts";
import { parseXml } from "./_xml.ts";

const VIEW: RoomView = {
  room: "dev@conference.localhost",
  nick: "bot",
  sentId: () => false,
  realJidOf: () => undefined,
};

const roomMessage = (inner: string) =>
  parseXml(
    `<message from="dev@conference.localhost/carol" type="groupchat" id="g1">${inner}</message>`,
  );

Deno.test("parseGroupchat() keeps indentation and leaves out encrypted messages", () => {
  assertEquals(
    parseGroupchat(roomMessage("<body>  bot: look\n    here\n</body>"), VIEW)?.body,
    "  bot: look\n    here",
  );
  const omemo = roomMessage(
    "<body>I sent you an OMEMO encrypted message</body>" +
      '<encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1"/><payload>P</payload>' +
      "</encrypted>",
  );
  assertEquals(parseGroupchat(omemo, VIEW), undefined);
});
