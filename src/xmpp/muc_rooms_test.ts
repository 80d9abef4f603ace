import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { createLogger } from "../log/mod.ts";
import type { MessageEvent, XmppEvent } from "./events.ts";
import { RoomRegistry, type RoomTimers } from "./muc_rooms.ts";
import { parseXml, type XmlElement } from "./_xml.ts";

const ROOM = "team@conference.localhost";
const MUC_USER = "http://jabber.org/protocol/muc#user";

class FakeTimers implements RoomTimers {
  pending = new Map<number, { fn: () => void; ms: number }>();
  #next = 1;
  setTimeout(fn: () => void, ms: number): number {
    this.pending.set(this.#next, { fn, ms });
    return this.#next++;
  }
  clearTimeout(id: unknown): void {
    this.pending.delete(id as number);
  }
  /** Runs every pending timer; returns their delays. */
  fire(): number[] {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const timer of due) timer.fn();
    return due.map((timer) => timer.ms);
  }
}

function setup(from?: string) {
  const sent: XmlElement[] = [];
  const events: XmppEvent[] = [];
  const timers = new FakeTimers();
  const iqs: XmlElement[] = [];
  const logs: string[] = [];
  /** Answers each IQ request: the result's payload, or an error condition. */
  let answer = (_iq: XmlElement): string => "";
  const rooms = new RoomRegistry({
    send: (stanza) => sent.push(stanza),
    request: (iq) => {
      iqs.push(iq);
      const payload = answer(iq);
      if (payload.startsWith("error:")) {
        return Promise.reject(Object.assign(new Error("refused"), { condition: payload.slice(6) }));
      }
      return Promise.resolve(
        parseXml(`<iq type="result" from="${iq.attrs.to}" id="${iq.attrs.id}">${payload}</iq>`),
      );
    },
    emit: (event) => events.push(event),
    logger: createLogger("xmpp", { level: "debug", write: (line) => logs.push(line) }),
    timers,
    ...(from === undefined ? {} : { from }),
  });
  /** The `to` of every presence sent so far (and forgets them). */
  const joins = () => sent.splice(0).map((s) => `${s.attrs.type ?? "join"} ${s.attrs.to}`);
  const answerWith = (fn: (iq: XmlElement) => string) => answer = fn;
  return { rooms, sent, events, timers, joins, iqs, logs, answerWith };
}

function selfPresence(nick: string, inner = "", type?: string): XmlElement {
  const typeAttr = type === undefined ? "" : ` type="${type}"`;
  return parseXml(
    `<presence from="${ROOM}/${nick}"${typeAttr}><x xmlns="${MUC_USER}">` +
      `<item affiliation="none" role="participant"/>${inner}<status code="110"/></x></presence>`,
  );
}

function errorPresence(nick: string, condition: string): XmlElement {
  return parseXml(
    `<presence from="${ROOM}/${nick}" type="error"><error type="cancel">` +
      `<${condition} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`,
  );
}

function joinedRoom() {
  const t = setup();
  t.rooms.online();
  t.rooms.join({ type: "join", room: ROOM, nick: "bot", historyMaxStanzas: 3 });
  t.rooms.handlePresence(selfPresence("bot"));
  t.sent.length = 0;
  t.events.length = 0;
  return t;
}

Deno.test("RoomRegistry joins desired rooms once online and reports the nick the room gave", () => {
  const { rooms, sent, events, joins } = setup("agent@agent.localhost");
  rooms.join({ type: "join", room: ROOM, nick: "bot", password: "pw", historyMaxStanzas: 3 });
  assertEquals(sent, [], "nothing is sent while offline");
  rooms.online();
  assertEquals(
    sent[0]?.toString(),
    `<presence to="${ROOM}/bot" from="agent@agent.localhost">` +
      '<x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="3"/>' +
      "<password>pw</password></x></presence>",
  );
  joins();
  assertTrue(rooms.handlePresence(selfPresence("Bot", '<status code="210"/>')));
  assertEquals(events, [{ type: "room_joined", room: ROOM, nick: "Bot" }]);
  assertEquals(rooms.list(), [{ room: ROOM, nick: "Bot", joined: true }]);
});

Deno.test("RoomRegistry rejoins after a kick with growing delays", () => {
  const { rooms, events, timers, joins } = joinedRoom();
  rooms.handlePresence(selfPresence("bot", '<status code="307"/>', "unavailable"));
  assertEquals(events, [{ type: "room_left", room: ROOM, reason: "kicked", detail: "kicked" }]);
  assertEquals(rooms.list()[0]?.joined, false);
  assertEquals(timers.fire(), [2000]);
  assertEquals(joins(), [`join ${ROOM}/bot`]);
  rooms.handlePresence(errorPresence("bot", "service-unavailable"));
  assertEquals(timers.fire(), [4000], "the second failure waits longer");
});

Deno.test("RoomRegistry retries a nick conflict with a suffixed nick", () => {
  const { rooms, events, timers, joins } = setup();
  rooms.online();
  rooms.join({ type: "join", room: ROOM, nick: "bot" });
  joins();
  rooms.handlePresence(errorPresence("bot", "conflict"));
  assertEquals(events.at(-1), {
    type: "room_left",
    room: ROOM,
    reason: "conflict",
    detail: 'nick "bot" is taken',
  });
  timers.fire();
  assertEquals(joins(), [`join ${ROOM}/bot_`]);
  rooms.handlePresence(errorPresence("bot_", "conflict"));
  timers.fire();
  assertEquals(joins(), [`join ${ROOM}/bot2`]);
  rooms.handlePresence(selfPresence("bot2"));
  assertEquals(events.at(-1), { type: "room_joined", room: ROOM, nick: "bot2" });
});

Deno.test("RoomRegistry does not rejoin a room that banned the agent", () => {
  const { rooms, events, timers } = joinedRoom();
  rooms.handlePresence(selfPresence("bot", '<status code="301"/>', "unavailable"));
  assertEquals(events.at(-1), {
    type: "room_left",
    room: ROOM,
    reason: "banned",
    detail: "banned from the room",
  });
  assertEquals(timers.pending.size, 0);
  assertEquals(rooms.list(), []);
});

Deno.test("RoomRegistry rejoins every desired room after a reconnect", () => {
  const { rooms, joins } = joinedRoom();
  rooms.join({ type: "join", room: "other@conference.localhost", nick: "agent" });
  joins();
  rooms.offline();
  assertEquals(rooms.list().map((r) => r.joined), [false, false]);
  rooms.online();
  assertEquals(joins(), [`join ${ROOM}/bot`, "join other@conference.localhost/agent"]);
});

Deno.test("RoomRegistry leaves a room on request and forgets it", () => {
  const { rooms, events, joins } = joinedRoom();
  rooms.leave(ROOM);
  assertEquals(joins(), [`unavailable ${ROOM}/bot`]);
  assertEquals(events, [{ type: "room_left", room: ROOM, reason: "left" }]);
  rooms.online();
  assertEquals(joins(), []);
});

Deno.test("RoomRegistry parses messages of joined rooms only, with real JID, stanza-id and own flag", () => {
  const { rooms } = joinedRoom();
  rooms.handlePresence(parseXml(
    `<presence from="${ROOM}/alice"><x xmlns="${MUC_USER}">` +
      `<item jid="alice@localhost/phone" role="moderator"/></x></presence>`,
  ));
  const message = (nick: string, extra = "") =>
    parseXml(
      `<message from="${ROOM}/${nick}" type="groupchat" id="m1"><body>hi</body>` +
        `<stanza-id xmlns="urn:xmpp:sid:0" by="alice@localhost" id="forged"/>` +
        `<stanza-id xmlns="urn:xmpp:sid:0" by="${ROOM}" id="s-1"/>${extra}</message>`,
    );
  assertEquals(rooms.handleGroupchat(message("alice")), {
    type: "groupchat",
    room: ROOM,
    nick: "alice",
    from: `${ROOM}/alice`,
    realJid: "alice@localhost",
    id: "m1",
    stanzaId: "s-1",
    body: "hi",
    own: false,
    delayed: false,
  });
  const own = rooms.handleGroupchat(message("bot"));
  assertEquals(own?.type === "groupchat" && own.own, true, "the agent's nick is its own");
  rooms.rememberSent(ROOM, "o-9");
  const reflected = rooms.handleGroupchat(
    message("someone", '<origin-id xmlns="urn:xmpp:sid:0" id="o-9"/>'),
  );
  assertEquals(reflected?.type === "groupchat" && reflected.own, true, "a sent origin-id is own");
  const history = rooms.handleGroupchat(
    message("alice", '<delay xmlns="urn:xmpp:delay" stamp="2024-01-01T00:00:00Z"/>'),
  );
  assertEquals(history?.type === "groupchat" && history.delayed, true);
  const subject = parseXml(
    `<message from="${ROOM}/alice" type="groupchat"><subject>Topic</subject></message>`,
  );
  assertEquals(rooms.handleGroupchat(subject), undefined);
  const elsewhere = parseXml(
    `<message from="other@conference.localhost/alice" type="groupchat"><body>x</body></message>`,
  );
  assertEquals(rooms.handleGroupchat(elsewhere), undefined);
});

Deno.test("RoomRegistry turns a room reaction into a ReactionEvent, skipping its own", () => {
  const { rooms } = joinedRoom();
  const reaction = (nick: string) =>
    parseXml(
      `<message from="${ROOM}/${nick}" type="groupchat"><reactions id="s-1" ` +
        `xmlns="urn:xmpp:reactions:0"><reaction>👍</reaction></reactions></message>`,
    );
  assertEquals(rooms.handleGroupchat(reaction("alice")), {
    type: "reaction",
    from: `${ROOM}/alice`,
    bare: ROOM,
    nick: "alice",
    room: ROOM,
    messageId: "s-1",
    emojis: ["👍"],
  });
  assertEquals(rooms.handleGroupchat(reaction("bot")), undefined);
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("RoomRegistry unlocks a room its join created: instant room without settings", async () => {
  const { rooms, iqs, logs } = setup();
  rooms.online();
  rooms.join({ type: "join", room: ROOM, nick: "bot" });
  rooms.handlePresence(selfPresence("bot", '<status code="201"/>'));
  await flush();
  assertEquals(
    iqs.map((iq) => iq.toString().replace(/ id="[^"]+"/, "")),
    [
      `<iq type="set" to="${ROOM}"><query xmlns="http://jabber.org/protocol/muc#owner">` +
      '<x xmlns="jabber:x:data" type="submit"/></query></iq>',
    ],
  );
  assertTrue(logs.some((line) => line.includes(`Created ${ROOM} with the service's default`)));
  rooms.handlePresence(selfPresence("bot"));
  await flush();
  assertEquals(iqs.length, 1, "only a join that created the room configures it");
});

Deno.test("RoomRegistry submits the configured settings (and password) for a room it creates", async () => {
  const { rooms, iqs, logs, answerWith } = setup("agent@agent.localhost");
  answerWith((iq) =>
    iq.attrs.type === "get"
      ? '<query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="form">' +
        '<field var="FORM_TYPE" type="hidden"><value>http://jabber.org/protocol/muc#roomconfig</value></field>' +
        '<field var="muc#roomconfig_persistentroom" type="boolean"><value>0</value></field>' +
        '<field var="muc#roomconfig_passwordprotectedroom" type="boolean"><value>0</value></field>' +
        '<field var="muc#roomconfig_roomsecret" type="text-private"/></x></query>'
      : ""
  );
  rooms.online();
  rooms.join({
    type: "join",
    room: ROOM,
    nick: "bot",
    password: "pw",
    create: { persistent: true, whois: "anyone" },
  });
  rooms.handlePresence(selfPresence("bot", '<status code="201"/>'));
  await flush();
  await flush();
  assertEquals(iqs.map((iq) => [iq.attrs.type, iq.attrs.from]), [
    ["get", "agent@agent.localhost"],
    ["set", "agent@agent.localhost"],
  ]);
  const submitted = iqs[1]!.toString();
  for (
    const field of [
      '<field var="muc#roomconfig_persistentroom"><value>1</value></field>',
      '<field var="muc#roomconfig_passwordprotectedroom"><value>1</value></field>',
      '<field var="muc#roomconfig_roomsecret"><value>pw</value></field>',
    ]
  ) assertTrue(submitted.includes(field), `${field} in ${submitted}`);
  assertTrue(!submitted.includes("whois"), "a field the form lacks is not submitted");
  assertTrue(logs.some((line) => line.includes('the service offers no "muc#roomconfig_whois"')));
});

Deno.test("RoomRegistry falls back to an instant room when its settings are refused", async () => {
  const { rooms, iqs, logs, answerWith } = setup();
  answerWith((iq) => iq.attrs.type === "get" ? "error:forbidden" : "");
  rooms.online();
  rooms.join({ type: "join", room: ROOM, nick: "bot", create: { persistent: true } });
  rooms.handlePresence(selfPresence("bot", '<status code="201"/>'));
  for (let i = 0; i < 4; i++) await flush();
  assertEquals(iqs.map((iq) => iq.attrs.type), ["get", "set"]);
  assertTrue(logs.some((line) => line.includes('the room answered "forbidden"')));
  assertTrue(logs.some((line) => line.includes("with the service's default configuration")));
});

Deno.test("RoomRegistry marks private messages through its rooms with the occupant", () => {
  const { rooms } = joinedRoom();
  rooms.handlePresence(parseXml(
    `<presence from="${ROOM}/alice"><x xmlns="${MUC_USER}">` +
      `<item jid="alice@localhost/phone" role="participant"/></x></presence>`,
  ));
  const pm = (from: string): MessageEvent => ({
    type: "message",
    from,
    bare: from.split("/")[0]!,
    body: "/forget",
    kind: "chat",
  });
  assertEquals(rooms.throughRoom(pm(`${ROOM}/alice`))?.occupant, {
    room: ROOM,
    nick: "alice",
    realJid: "alice@localhost",
  });
  assertEquals(rooms.throughRoom(pm(`${ROOM}/eve`))?.occupant, { room: ROOM, nick: "eve" });
  assertEquals(rooms.throughRoom(pm(ROOM)), undefined, "the room's own notices are dropped");
  assertEquals(rooms.throughRoom(pm("alice@localhost/phone"))?.occupant, undefined);
  rooms.offline();
  assertEquals(
    rooms.throughRoom(pm(`${ROOM}/alice`))?.occupant,
    { room: ROOM, nick: "alice" },
    "out of the room, no occupant is known",
  );
});
