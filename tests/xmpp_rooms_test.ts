/**
 * Rooms, invitations, attachments and reactions through the real ClientConnection, driven in
 * this process (no agent, no LLM) against a real Prosody, with slixmpp as the humans.
 */
import { assertEquals, assertTrue } from "./support/assert.ts";
import { EventBuffer } from "./support/event_buffer.ts";
import { connectHuman, type Human } from "./support/human.ts";
import { type ProsodyHandle, startProsody } from "./support/prosody.ts";
import { createLogger } from "../src/log/mod.ts";
import {
  ClientConnection,
  type GroupchatEvent,
  type InviteEvent,
  type MessageEvent,
  type ReactionEvent,
  type RoomJoinedEvent,
  type RoomLeftEvent,
  type XmppEvent,
} from "../src/xmpp/mod.ts";

const BOT = "bot@localhost";
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";

interface Bot extends AsyncDisposable {
  connection: ClientConnection;
  events: EventBuffer<XmppEvent>;
  logs: string[];
  next<T extends XmppEvent["type"]>(
    type: T,
    where?: (event: Extract<XmppEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<XmppEvent, { type: T }>>;
}

async function startBot(prosody: ProsodyHandle): Promise<Bot> {
  const logs: string[] = [];
  const events = new EventBuffer<XmppEvent>((event) => JSON.stringify(event));
  const connection = new ClientConnection({
    host: prosody.host,
    port: prosody.c2sPort,
    jid: BOT,
    password: "botpass",
    resource: "agent",
    allowPlaintext: false,
    tlsVerify: false,
    keepalive: { intervalMs: 0, timeoutMs: 0 },
    software: { name: "Fluux Agent", version: "test" },
    logger: createLogger("xmpp", { level: "debug", write: (line) => logs.push(line) }),
  });
  connection.onEvent((event) => events.push(event));
  const running = connection.run();
  const bot: Bot = {
    connection,
    events,
    logs,
    next: (type, where = () => true, timeoutMs = 10_000) =>
      // deno-lint-ignore no-explicit-any
      events.waitFor((e: XmppEvent) => e.type === type && where(e as any), {
        timeoutMs,
        description: `${type} event`,
        // deno-lint-ignore no-explicit-any
      }) as any,
    async [Symbol.asyncDispose]() {
      await connection.stop();
      await running;
    },
  };
  await bot.next("online");
  return bot;
}

async function setup(prosody: ProsodyHandle, room: string) {
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  const alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  // The first occupant of a new room owns it: alice can kick. Non-anonymous: the bot sees
  // real JIDs.
  await alice.joinRoom(room, "alice");
  await alice.configureRoom(room, { "muc#roomconfig_whois": "anyone" });
  const bot = await startBot(prosody);
  return { alice, bot };
}

function kick(human: Human, room: string, nick: string): Promise<void> {
  return human.sendRaw(
    `<iq type='set' to='${room}' id='${crypto.randomUUID()}'><query xmlns='${MUC_ADMIN}'>` +
      `<item nick='${nick}' role='none'><reason>test</reason></item></query></iq>`,
  );
}

Deno.test("a client connection joins a room, reads it and recognises its own messages", async () => {
  await using prosody = await startProsody();
  const room = `team@${prosody.mucDomain}`;
  const { alice, bot } = await setup(prosody, room);
  await using _alice = alice;
  await using _bot = bot;
  bot.connection.send({ type: "join", room, nick: "bot", historyMaxStanzas: 0 });
  const joined: RoomJoinedEvent = await bot.next("room_joined");
  assertEquals(joined, { type: "room_joined", room, nick: "bot" });

  await alice.send(room, "hello room", { type: "groupchat" });
  const heard: GroupchatEvent = await bot.next("groupchat", (e) => e.body === "hello room");
  assertEquals([heard.room, heard.nick, heard.own, heard.delayed], [room, "alice", false, false]);
  assertEquals(heard.realJid, "alice@localhost", "the test rooms disclose real JIDs");

  bot.connection.send({ type: "message", to: room, body: "hi all", messageType: "groupchat" });
  const own = await bot.next("groupchat", (e) => e.body === "hi all");
  assertEquals([own.nick, own.own], ["bot", true]);
  const seen = await alice.nextMessage({ from: `${room}/bot`, withBody: true });
  assertEquals(seen.body, "hi all");

  await alice.sendRaw(
    `<message to='${room}' type='groupchat' id='r1'><reactions id='${heard.id}' ` +
      `xmlns='urn:xmpp:reactions:0'><reaction>👍</reaction></reactions></message>`,
  );
  const reaction: ReactionEvent = await bot.next("reaction");
  assertEquals(
    [reaction.room, reaction.nick, reaction.messageId, reaction.emojis],
    [room, "alice", heard.id, ["👍"]],
  );
  assertTrue(bot.connection.rooms()[0]?.joined === true);
});

Deno.test("a client connection rejoins its rooms after a restart and after a kick", async () => {
  await using prosody = await startProsody();
  const room = `team@${prosody.mucDomain}`;
  const { alice, bot } = await setup(prosody, room);
  await using _bot = bot;
  bot.connection.send({ type: "join", room, nick: "bot" });
  await bot.next("room_joined");
  await kick(alice, room, "bot");
  const left: RoomLeftEvent = await bot.next("room_left");
  assertEquals([left.reason, left.detail], ["kicked", "kicked: test"]);
  assertEquals(await bot.next("room_joined"), { type: "room_joined", room, nick: "bot" });
  assertTrue(bot.logs.some((line) => line.includes(`Left ${room} (kicked: kicked: test)`)));
  await alice.close();

  await prosody.restart();
  await bot.next("offline");
  await bot.next("online", undefined, 20_000);
  assertEquals(await bot.next("room_joined"), { type: "room_joined", room, nick: "bot" });
});

Deno.test("a nick conflict makes the client connection join with a suffixed nick", async () => {
  await using prosody = await startProsody();
  const room = `team@${prosody.mucDomain}`;
  await prosody.register("bob", "bobpass");
  const { alice, bot } = await setup(prosody, room);
  await using _alice = alice;
  await using _bot = bot;
  await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });
  await bob.joinRoom(room, "bot");
  bot.connection.send({ type: "join", room, nick: "bot" });
  const left: RoomLeftEvent = await bot.next("room_left");
  assertEquals(left.reason, "conflict");
  assertEquals(await bot.next("room_joined"), { type: "room_joined", room, nick: "bot_" });
  await alice.send(room, "who is who?", { type: "groupchat" });
  const heard = await bot.next("groupchat", (e) => e.body === "who is who?");
  assertEquals(heard.own, false);
});

Deno.test("invitations, attachments and reactions reach a client connection as events", async () => {
  await using prosody = await startProsody();
  const room = `team@${prosody.mucDomain}`;
  const { alice, bot } = await setup(prosody, room);
  await using _alice = alice;
  await using _bot = bot;
  await alice.sendRaw(
    `<message to='${room}'><x xmlns='http://jabber.org/protocol/muc#user'>` +
      `<invite to='${BOT}'><reason>Join us</reason></invite></x></message>`,
  );
  const mediated: InviteEvent = await bot.next("invite");
  assertEquals(mediated, {
    type: "invite",
    room,
    inviter: "alice@localhost",
    direct: false,
    reason: "Join us",
  });
  await alice.sendRaw(
    `<message to='${BOT}'><x xmlns='jabber:x:conference' jid='${room}' password='pw' ` +
      `reason='Come'/></message>`,
  );
  assertEquals(await bot.next("invite"), {
    type: "invite",
    room,
    inviter: "alice@localhost",
    direct: true,
    password: "pw",
    reason: "Come",
  });

  await alice.sendRaw(
    `<message to='${BOT}' type='chat' id='m1'><body>https://example.org/cat.png</body>` +
      `<x xmlns='jabber:x:oob'><url>https://example.org/cat.png</url><desc>Cat</desc></x>` +
      `<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>`,
  );
  const file: MessageEvent = await bot.next("message");
  assertEquals([file.body, file.originId, file.to], ["", "o1", BOT]);
  assertEquals(file.attachments, [{ url: "https://example.org/cat.png", description: "Cat" }]);

  await alice.sendRaw(
    `<message to='${BOT}' type='chat'><reactions id='m-bot-1' xmlns='urn:xmpp:reactions:0'>` +
      `<reaction>🎉</reaction></reactions></message>`,
  );
  const reaction = await bot.next("reaction");
  assertEquals([reaction.bare, reaction.messageId, reaction.emojis], [
    "alice@localhost",
    "m-bot-1",
    ["🎉"],
  ]);
  assertEquals(reaction.room, undefined);
});

Deno.test("groupchat from a room the client connection has not joined is ignored", async () => {
  await using prosody = await startProsody();
  const room = `team@${prosody.mucDomain}`;
  const { alice, bot } = await setup(prosody, room);
  await using _alice = alice;
  await using _bot = bot;
  await alice.sendRaw(
    `<message to='${BOT}' type='groupchat' from='${alice.jid}'><body>not a room</body></message>`,
  );
  await alice.send(BOT, "plain chat");
  const next = await bot.events.waitFor((e) => e.type === "message" || e.type === "groupchat");
  assertEquals(next.type === "message" && next.body, "plain chat");
});
