import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { createLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore, type NewHistoryEntry } from "../memory/mod.ts";
import type { GroupchatEvent, XmppAction } from "../xmpp/mod.ts";
import { Agent } from "./agent.ts";
import { memoryBookStorage } from "./json_book.ts";
import { RoomBook } from "./room_book.ts";
import { EchoLlm } from "./_testing.ts";

const ROOM = "dev@conference.localhost";
const AT = "2026-12-01T10:00:00.000Z";

/**
 * An agent in one room (nick `bot`, answering mentions), on an in-memory data directory;
 * `book` is the text of its `rooms.json`.
 */
function setup(options: { book?: string; idleTimeoutMs?: number; now?: string } = {}) {
  const sent: XmppAction[] = [];
  const log: string[] = [];
  const llm = new EchoLlm({ lastLine: true });
  const memory = new MemoryStore("/data", {
    fs: new InMemoryFs(),
    now: () => new Date("2026-12-01T10:00:01Z"),
  });
  const agent = new Agent({
    name: "Fluux Agent",
    memory,
    llm,
    xmpp: {
      send: (action) => {
        // As the XMPP layer does: a join needs a bare JID.
        if (action.type === "join" && action.room.includes("/")) {
          throw new TypeError(`Invalid room JID "${action.room}"`);
        }
        sent.push(action);
      },
      roster: () => Promise.resolve([]),
    },
    rules: { allowedJids: ["alice@localhost"], allowedDomains: [], ownDomain: "localhost" },
    log: createLogger("agent", { write: (line) => log.push(line) }),
    now: () => new Date(options.now ?? "2026-12-01T10:00:01Z"),
    maxHistoryMessages: 20,
    maxTokens: 1000,
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    rooms: [{
      jid: ROOM,
      nick: "bot",
      activation: "mention",
      historyOnJoin: 0,
      downloadAttachments: false,
    }],
    roomBook: new RoomBook(memoryBookStorage(options.book)),
    respondToReactions: false,
    status: () => ({
      startedAt: new Date(),
      mode: "client",
      provider: "fake",
      model: "fake-1",
      usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
    }),
  });
  const event = (body: string, stanzaId: string, extra: Partial<GroupchatEvent> = {}) => ({
    type: "groupchat" as const,
    room: ROOM,
    nick: "carol",
    from: `${ROOM}/carol`,
    body,
    stanzaId,
    own: false,
    delayed: false,
    ...extra,
  });
  /** What the last run left: these entries stored, these events still in the inbox. */
  const restart = async (entries: NewHistoryEntry[], left: GroupchatEvent[]) => {
    for (const entry of entries) await memory.append(ROOM, entry);
    agent.replay(left.map((e, i) => ({ n: i + 1, at: AT, event: e })));
    await agent.idle();
  };
  const messages = () => sent.flatMap((a) => a.type === "message" ? [a] : []);
  const stored = () => memory.recent(ROOM, 50);
  return { agent, sent, log, llm, memory, event, restart, messages, stored };
}

const asked = (body: string, id: string): NewHistoryEntry => ({
  type: "message",
  role: "user",
  content: body,
  sender: "carol@muc",
  msg_id: id,
});

const answer = (body: string, id: string, answers?: string): NewHistoryEntry => ({
  type: "message",
  role: "assistant",
  content: body,
  msg_id: id,
  ...(answers === undefined ? {} : { answers }),
});

Deno.test("handleRoomMessage() answers a mention stored before a kill and never answered, once", async () => {
  const { restart, event, llm, messages, stored } = setup();
  await restart([asked("bot: ping", "s1")], [event("bot: ping", "s1")]);
  assertEquals(llm.requests.length, 1);
  const sent = messages();
  assertEquals(sent.map((m) => [m.to, m.messageType, m.body]), [
    [ROOM, "groupchat", "echo: > bot: ping"],
  ]);
  const entries = await stored();
  assertEquals(entries.map((e) => [e.role, e.content, e.answers]), [
    ["user", "bot: ping", undefined],
    ["assistant", "echo: > bot: ping", "s1"],
  ], "the message is not stored twice; the answer names it");
});

Deno.test("handleRoomMessage() stores a room answer with the id of the message it answers", async () => {
  const { agent, event, stored, messages } = setup();
  agent.handle(event("bot: hello", "s7"));
  await agent.idle();
  const [, reply] = await stored();
  assertEquals([reply?.role, reply?.answers, reply?.msg_id], [
    "assistant",
    "s7",
    messages()[0]?.id,
  ]);
});

Deno.test("handleRoomMessage() sends a stored answer the room never reflected again, without the LLM", async () => {
  const { restart, event, llm, messages, stored } = setup();
  await restart(
    [asked("bot: ping", "s1"), answer("pong", "a1", "s1")],
    [event("bot: ping", "s1")],
  );
  assertEquals(llm.requests.length, 0);
  assertEquals(messages().map((m) => [m.to, m.body, m.id]), [[ROOM, "pong", "a1"]]);
  assertEquals((await stored()).length, 2, "nothing stored again");
});

Deno.test("handleRoomMessage() sends nothing for a message whose answer the room reflected", async () => {
  const { restart, event, llm, sent, stored } = setup();
  await restart(
    [
      asked("bot: ping", "s1"),
      answer("pong", "a1", "s1"),
      { type: "reflection", msg_id: "a1", stanza_id: "s2" },
    ],
    [event("bot: ping", "s1")],
  );
  assertEquals(llm.requests.length, 0);
  assertEquals(sent, []);
  assertEquals((await stored()).length, 2);
});

Deno.test("handleRoomMessage() tells answers apart when others spoke between a message and its answer", async () => {
  const { restart, event, llm, messages, stored } = setup();
  // carol asked twice; dave spoke between her first question and its answer; the second
  // question was stored when the process was killed.
  await restart(
    [
      asked("bot: one", "s1"),
      { ...asked("lunch?", "s2"), sender: "dave@muc" },
      answer("first answer", "a1", "s1"),
      asked("bot: two", "s3"),
    ],
    [event("bot: one", "s1"), event("lunch?", "s2", { nick: "dave" }), event("bot: two", "s3")],
  );
  assertEquals(llm.requests.length, 1, "only the unanswered one goes to the LLM");
  assertEquals(messages().map((m) => m.body), ["first answer", "echo: > bot: two"]);
  const entries = await stored();
  assertEquals(entries.length, 5, "no message stored twice");
  assertEquals(entries.at(-1)?.answers, "s3");
});

Deno.test("handleRoomMessage() takes an answer from before `answers` existed as the answer", async () => {
  const { restart, event, llm, messages } = setup();
  await restart([asked("bot: ping", "s1"), answer("pong", "a1")], [event("bot: ping", "s1")]);
  assertEquals(llm.requests.length, 0);
  assertEquals(messages().map((m) => [m.body, m.id]), [["pong", "a1"]]);
});

Deno.test("handleRoomMessage() only stores a message not addressed to the agent, once", async () => {
  const { restart, event, llm, sent, stored } = setup();
  await restart([asked("lunch?", "s1")], [event("lunch?", "s1"), event("coffee?", "s2")]);
  assertEquals(llm.requests.length, 0);
  assertEquals(sent, []);
  assertEquals((await stored()).map((e) => e.content), ["lunch?", "coffee?"]);
});

Deno.test("handleRoomMessage() does not run a stored command again", async () => {
  const { restart, event, sent, stored } = setup();
  await restart([asked("bot: /help", "s1")], [event("bot: /help", "s1")]);
  assertEquals(sent, []);
  assertEquals((await stored()).length, 1);
});

Deno.test("handleRoomMessage() never answers history the room replays on rejoin", async () => {
  const { agent, restart, event, llm, sent, stored } = setup();
  await restart([asked("bot: ping", "s1")], []);
  // The room's history after a rejoin: one message stored before, one missed while away.
  agent.handle(event("bot: ping", "s1", { delayed: true }));
  agent.handle(event("bot: are you there?", "s2", { delayed: true }));
  await agent.idle();
  assertEquals(llm.requests.length, 0);
  assertEquals(sent, []);
  const entries = await stored();
  assertEquals(entries.map((e) => e.msg_id), ["s1", "s2"]);
  assertTrue(entries.every((e) => e.role === "user"));
});

Deno.test("Agent.joinRooms() asks for the rooms before the connection is up, and online does not ask again", async () => {
  const { agent, sent } = setup();
  await agent.joinRooms();
  const joins = () => sent.filter((action) => action.type === "join");
  assertEquals(joins().map((join) => join.type === "join" && join.room), [ROOM]);
  agent.handle({ type: "online", jid: "bot@localhost/fluux-agent" });
  await agent.idle();
  assertEquals(joins().length, 1);
});

Deno.test("Agent.joinRooms() skips a remembered room whose address is not a room JID", async () => {
  const { agent, sent, log } = setup({
    book:
      '{"rooms":[{"jid":"bad/room/x","nick":"bot"},{"jid":"ops@conference.localhost","nick":"bot"}]}',
  });
  await agent.joinRooms();
  const joined = sent.flatMap((action) => action.type === "join" ? [action.room] : []);
  assertEquals(joined, [ROOM, "ops@conference.localhost"]);
  assertTrue(log.some((line) => line.includes('Cannot join "bad/room/x"')), log.join("\n"));
});

Deno.test("handleRoomMessage() answers a stored mention in its session, however long the agent was down", async () => {
  // Back two hours later, with sessions that end after 15 minutes of silence.
  const { restart, event, llm, stored } = setup({
    idleTimeoutMs: 15 * 60_000,
    now: "2026-12-01T12:00:00Z",
  });
  await restart([asked("bot: ping", "s1")], [event("bot: ping", "s1")]);
  assertEquals(llm.requests[0]?.messages.at(-1)?.content, 'From "carol":\n> bot: ping');
  assertEquals((await stored()).map((e) => [e.role, e.answers]), [
    ["user", undefined],
    ["assistant", "s1"],
  ]);
});
