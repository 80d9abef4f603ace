import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { createLogger } from "../log/mod.ts";
import type { XmppEvent } from "./events.ts";
import { InvitationGate } from "./muc_invitations.ts";
import { MucServices } from "./muc_services.ts";
import { parseXml, type XmlElement } from "./_xml.ts";

const MUC_INFO = '<query xmlns="http://jabber.org/protocol/disco#info">' +
  '<identity category="conference" type="text" name="Chatrooms"/>' +
  '<feature var="http://jabber.org/protocol/muc"/></query>';
const SERVER_INFO = '<query xmlns="http://jabber.org/protocol/disco#info">' +
  '<identity category="server" type="im"/></query>';

function setup(answers: Record<string, string> = { "conference.localhost": MUC_INFO }) {
  const asked: string[] = [];
  const events: XmppEvent[] = [];
  const logs: string[] = [];
  const clock = { now: 0 };
  const services = new MucServices({
    request: (iq: XmlElement) => {
      const to = iq.attrs.to ?? "";
      asked.push(to);
      const payload = answers[to];
      if (payload === undefined) {
        return Promise.reject(Object.assign(new Error("timeout"), { name: "TimeoutError" }));
      }
      // "other.example|<query…/>" answers from another address than the one asked.
      const [from, query] = payload.includes("|") ? payload.split("|") : [to, payload];
      return Promise.resolve(
        parseXml(`<iq type="result" from="${from}" id="${iq.attrs.id}">${query}</iq>`),
      );
    },
    now: () => clock.now,
    retryAfterMs: 1000,
  });
  const gate = new InvitationGate({
    services,
    emit: (event) => events.push(event),
    logger: createLogger("xmpp", { level: "debug", write: (line) => logs.push(line) }),
    isRoom: (jid) => jid === "dev@conference.localhost",
    occupantOf: (from) =>
      from.startsWith("dev@conference.localhost/")
        ? {
          room: "dev@conference.localhost",
          nick: from.split("/")[1]!,
          realJid: "alice@localhost",
        }
        : undefined,
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { gate, asked, events, logs, clock, settle, services };
}

const mediated = (from: string, inviter = "alice@localhost/phone") =>
  parseXml(
    `<message from="${from}" to="bot@localhost"><x xmlns="http://jabber.org/protocol/muc#user">` +
      `<invite from="${inviter}"><reason>join us</reason></invite></x></message>`,
  );
const direct = (from: string, room: string) =>
  parseXml(
    `<message from="${from}" to="bot@localhost"><x xmlns="jabber:x:conference" jid="${room}"/></message>`,
  );

Deno.test("InvitationGate passes a mediated invitation from a room of a MUC service", async () => {
  const { gate, events, settle } = setup();
  assertTrue(gate.handle(mediated("team@conference.localhost")));
  await settle();
  assertEquals(events, [{
    type: "invite",
    room: "team@conference.localhost",
    inviter: "alice@localhost",
    direct: false,
    reason: "join us",
  }]);
});

Deno.test("InvitationGate drops a mediated invitation sent by a user, without asking anyone", async () => {
  const { gate, events, logs, asked, settle } = setup();
  assertTrue(gate.handle(mediated("eve@localhost/laptop")));
  assertTrue(gate.handle(mediated("conference.localhost")));
  await settle();
  assertEquals([events, asked], [[], []]);
  assertEquals(logs.filter((line) => line.includes("relayed by a room")).length, 2);
  assertTrue(logs[0]!.includes("Dropped an invitation from eve@localhost/laptop"));
});

Deno.test("InvitationGate drops a mediated invitation from a domain that is not a MUC service, asking it once", async () => {
  const { gate, events, logs, asked, settle } = setup({
    "localhost": SERVER_INFO,
    "conference.localhost": MUC_INFO,
  });
  gate.handle(mediated("eve@localhost"));
  gate.handle(mediated("mallory@localhost"));
  await settle();
  assertEquals(events, []);
  assertEquals(asked, ["localhost"], "one disco#info per domain");
  assertTrue(
    logs.some((line) =>
      line.includes("eve@localhost is not a room: localhost is not a multi-user chat service") &&
      line.includes("server/im")
    ),
  );
});

Deno.test("InvitationGate passes a direct invitation to a room and marks one sent through a room", async () => {
  const { gate, events, settle } = setup();
  gate.handle(direct("alice@localhost/phone", "team@conference.localhost"));
  gate.handle(direct("dev@conference.localhost/alice", "team@conference.localhost"));
  await settle();
  assertEquals(events, [
    { type: "invite", room: "team@conference.localhost", inviter: "alice@localhost", direct: true },
    {
      type: "invite",
      room: "team@conference.localhost",
      inviter: "dev@conference.localhost",
      direct: true,
      occupant: { room: "dev@conference.localhost", nick: "alice", realJid: "alice@localhost" },
    },
  ]);
});

Deno.test("InvitationGate drops a direct invitation whose room is not on a MUC service", async () => {
  const { gate, events, logs, settle } = setup({ "localhost": SERVER_INFO });
  gate.handle(direct("alice@localhost/phone", "eve@localhost"));
  gate.handle(direct("alice@localhost/phone", "localhost"));
  gate.handle(direct("dev@conference.localhost", "team@conference.localhost"));
  await settle();
  assertEquals(events, []);
  assertTrue(logs.some((line) => line.includes("a room itself sends no direct invitations")));
  assertTrue(logs.some((line) => line.includes("eve@localhost is not a room")));
  assertTrue(logs.some((line) => line.includes('"localhost" is not a room JID')));
});
