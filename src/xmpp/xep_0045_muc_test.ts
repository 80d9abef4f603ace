import { assertEquals } from "../../tests/support/assert.ts";
import {
  buildJoinPresence,
  explainDeparture,
  parseMediatedInvite,
  parseMucPresence,
} from "./xep_0045_muc.ts";
import { parseDirectInvite } from "./xep_0249_direct_invite.ts";
import { parseXml } from "./_xml.ts";

Deno.test("buildJoinPresence() asks for the nick with a history limit and the password", () => {
  assertEquals(
    buildJoinPresence("room@muc", "bot", { historyMaxStanzas: 5, password: "pw", from: "a@c" })
      .toString(),
    '<presence to="room@muc/bot" from="a@c"><x xmlns="http://jabber.org/protocol/muc">' +
      '<history maxstanzas="5"/><password>pw</password></x></presence>',
  );
  assertEquals(
    buildJoinPresence("room@muc", "bot").toString(),
    '<presence to="room@muc/bot"><x xmlns="http://jabber.org/protocol/muc">' +
      '<history maxstanzas="0"/></x></presence>',
  );
});

Deno.test("parseMucPresence() reads statuses, the real JID, a new nick and an error condition", () => {
  const self = parseMucPresence(parseXml(
    `<presence from="Room@MUC/bot"><x xmlns="http://jabber.org/protocol/muc#user">
       <item jid="Bot@Localhost/r" role="participant"/><status code="110"/><status code="210"/>
     </x></presence>`,
  ));
  assertEquals(self, {
    room: "room@muc",
    nick: "bot",
    kind: "available",
    statuses: [110, 210],
    realJid: "bot@localhost",
  });
  const conflict = parseMucPresence(parseXml(
    `<presence from="room@muc/bot" type="error"><error type="cancel">
       <conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`,
  ));
  assertEquals(conflict?.error, "conflict");
  assertEquals(parseMucPresence(parseXml(`<presence from="a@b" type="subscribe"/>`)), undefined);
});

Deno.test("explainDeparture() names kicks, bans, destruction and conflicts, and when to retry", () => {
  const cases: [string, string, boolean][] = [
    [`<status code="307"/><item role="none"><reason>spam</reason></item>`, "kicked", true],
    [`<status code="301"/><item affiliation="outcast"/>`, "banned", false],
    [`<destroy><reason>closing</reason></destroy>`, "destroyed", true],
    [`<status code="332"/>`, "shutdown", true],
  ];
  for (const [inner, reason, retry] of cases) {
    const presence = parseMucPresence(parseXml(
      `<presence from="r@m/bot" type="unavailable">` +
        `<x xmlns="http://jabber.org/protocol/muc#user">${inner}<status code="110"/></x></presence>`,
    ));
    const departure = explainDeparture(presence!);
    assertEquals([departure.reason, departure.retry], [reason, retry], inner);
  }
  const kicked = parseMucPresence(parseXml(
    `<presence from="r@m/bot" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user">` +
      `<item role="none"><reason>spam</reason></item><status code="307"/></x></presence>`,
  ));
  assertEquals(explainDeparture(kicked!).detail, "kicked: spam");
  const banned = parseMucPresence(parseXml(
    `<presence from="r@m/bot" type="error"><error type="auth">` +
      `<forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`,
  ));
  assertEquals(explainDeparture(banned!), {
    reason: "banned",
    detail: "banned from the room",
    retry: false,
  });
});

Deno.test("parseMediatedInvite() and parseDirectInvite() give room, inviter, password and reason", () => {
  assertEquals(
    parseMediatedInvite(parseXml(
      `<message from="Team@muc" to="bot@localhost"><x xmlns="http://jabber.org/protocol/muc#user">
         <invite from="alice@localhost/phone"><reason>join us</reason></invite>
         <password>pw</password></x></message>`,
    )),
    {
      type: "invite",
      room: "team@muc",
      inviter: "alice@localhost",
      direct: false,
      password: "pw",
      reason: "join us",
    },
  );
  assertEquals(
    parseDirectInvite(parseXml(
      `<message from="alice@localhost/phone" to="bot@localhost">
         <x xmlns="jabber:x:conference" jid="team@muc" reason="come"/></message>`,
    )),
    { type: "invite", room: "team@muc", inviter: "alice@localhost", direct: true, reason: "come" },
  );
  assertEquals(
    parseDirectInvite(parseXml(`<message from="a@b"><body>x</body></message>`)),
    undefined,
  );
});
