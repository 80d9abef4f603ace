import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import { type ChatRequest, type ChatResponse, type LlmClient, LlmError } from "../llm/mod.ts";
import { silentLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import type { GroupchatEvent, RosterItem, XmppAction } from "../xmpp/mod.ts";
import { Agent } from "./agent.ts";
import type { RoomSettings } from "./membership.ts";
import type { AttachmentIntake } from "./attachment_intake.ts";
import { memoryBookStorage } from "./json_book.ts";
import { RoomBook } from "./room_book.ts";
import { ContactBook } from "./contact_book.ts";

class ScriptedLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake-1";
  requests: ChatRequest[] = [];
  fail: LlmError | undefined;
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(request: ChatRequest): Promise<ChatResponse> {
    this.requests.push(request);
    if (this.fail) return Promise.reject(this.fail);
    const last = request.messages.at(-1)?.content;
    const text = `echo: ${typeof last === "string" ? last : "?"}`;
    return Promise.resolve({
      content: [{ type: "text", text }],
      text,
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 1 },
      model: this.model,
    });
  }
}

function setup(
  options: {
    roster?: RosterItem[];
    idleTimeoutMs?: number;
    maxHistoryMessages?: number;
    rooms?: RoomSettings[];
    respondToReactions?: boolean;
    attachments?: AttachmentIntake;
    mode?: "client" | "component";
    contacts?: ContactBook;
  } = {},
) {
  const book = new RoomBook(memoryBookStorage());
  const clock = { now: new Date("2026-11-27T10:00:00Z") };
  const sent: XmppAction[] = [];
  const llm = new ScriptedLlm();
  const memory = new MemoryStore("/data", { fs: new InMemoryFs(), now: () => clock.now });
  const agent = new Agent({
    name: "Fluux Agent",
    memory,
    llm,
    xmpp: {
      send: (action) => sent.push(action),
      roster: () => Promise.resolve(options.roster ?? []),
    },
    rules: { allowedJids: ["alice@localhost"], allowedDomains: [], ownDomain: "localhost" },
    log: silentLogger(),
    now: () => clock.now,
    maxHistoryMessages: options.maxHistoryMessages ?? 20,
    maxTokens: 1000,
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    rooms: options.rooms ?? [],
    roomBook: book,
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.contacts === undefined ? {} : { contactBook: options.contacts }),
    respondToReactions: options.respondToReactions ?? false,
    ...(options.attachments === undefined ? {} : { attachments: options.attachments }),
    status: () => ({
      startedAt: new Date(),
      mode: "client",
      provider: "fake",
      model: "fake-1",
      usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
    }),
  });
  const say = (body: string, from = "Alice@localhost/phone") => {
    agent.handle({
      type: "message",
      from,
      bare: from.split("/")[0]!.toLowerCase(),
      body,
      kind: "chat",
    });
    return agent.idle();
  };
  const room = (body: string, extra: Partial<GroupchatEvent> = {}) => {
    agent.handle({
      type: "groupchat",
      room: "dev@conference.localhost",
      nick: "carol",
      from: "dev@conference.localhost/carol",
      body,
      own: false,
      delayed: false,
      ...extra,
    });
    return agent.idle();
  };
  return { agent, sent, llm, memory, say, clock, room, book };
}

Deno.test("Agent answers an allowed user: composing, then the reply with active", async () => {
  const { sent, say, memory } = setup();
  await say("hello");
  const reply = sent[1];
  assertTrue(reply?.type === "message" && reply.id !== undefined, "the reply has an id");
  assertEquals(sent, [
    { type: "chat_state", to: "Alice@localhost/phone", state: "composing", messageType: "chat" },
    {
      type: "message",
      to: "Alice@localhost/phone",
      body: "echo: hello",
      chatState: "active",
      messageType: "chat",
      id: reply.id,
    },
  ]);
  const stored = await memory.recent("alice@localhost", 10);
  assertEquals(stored.map((e) => [e.role, e.content, e.msg_id]), [
    ["user", "hello", undefined],
    ["assistant", "echo: hello", reply.id],
  ]);
});

Deno.test("Agent sends a stored answer again for a message left in the inbox, without the LLM", async () => {
  const { agent, sent, llm, memory, clock } = setup();
  const at = clock.now.toISOString();
  const event = {
    type: "message" as const,
    from: "alice@localhost/phone",
    bare: "alice@localhost",
    body: "hello",
    id: "q1",
    kind: "chat" as const,
  };
  // The last run answered and stored the answer; the server had not acknowledged it.
  await memory.append("alice@localhost", {
    type: "message",
    role: "user",
    content: "hello",
    msg_id: "q1",
  });
  await memory.append("alice@localhost", {
    type: "message",
    role: "assistant",
    content: "echo: hello",
    msg_id: "a1",
  });
  agent.replay([{ n: 1, at, event }]);
  await agent.idle();
  assertEquals(sent, [{
    type: "message",
    to: "alice@localhost/phone",
    messageType: "chat",
    body: "echo: hello",
    chatState: "active",
    id: "a1",
  }]);
  assertEquals(llm.requests.length, 0);
  assertEquals((await memory.recent("alice@localhost", 10)).length, 2, "nothing stored twice");
});

Deno.test("Agent sends a webhook's stored result again for a delivery left in the inbox", async () => {
  const { agent, sent, llm, memory, clock } = setup();
  const at = clock.now.toISOString();
  const webhook = (id: string, mode: "notify" | "agent") => ({
    type: "webhook" as const,
    id,
    route: "/hooks/ci",
    to: "alice@localhost",
    mode,
    ...(mode === "notify" ? { text: "build failed" } : { payload: '{"status":"failed"}' }),
    receivedAt: at,
  });
  // The last run sent both; the server had not acknowledged them.
  const source = { kind: "webhook", id: "w1", route: "/hooks/ci" };
  await memory.append("alice@localhost", {
    type: "message",
    role: "assistant",
    content: "build failed",
    msg_id: "w1",
    source,
  });
  await memory.append("alice@localhost", {
    type: "message",
    role: "user",
    content: '{"status":"failed"}',
    msg_id: "w2",
    source: { ...source, id: "w2" },
  });
  await memory.append("alice@localhost", {
    type: "message",
    role: "assistant",
    content: "Your build failed.",
    msg_id: "a2",
  });
  agent.replay([
    { n: 1, at, event: webhook("w1", "notify") },
    { n: 2, at, event: webhook("w2", "agent") },
  ]);
  await agent.idle();
  const bodies = sent.flatMap((action) =>
    action.type === "message" ? [[action.to, action.body, action.id]] : []
  );
  assertEquals(bodies, [
    ["alice@localhost", "build failed", "w1"],
    ["alice@localhost", "Your build failed.", "a2"],
  ]);
  assertEquals(llm.requests.length, 0);
  assertEquals((await memory.recent("alice@localhost", 10)).length, 3, "nothing stored twice");
});

Deno.test("Agent ignores a stranger without calling the LLM", async () => {
  const { sent, say, llm } = setup();
  await say("hi", "eve@localhost/x");
  await say("hi", "alice@evil.example/x");
  assertEquals(sent, []);
  assertEquals(llm.requests.length, 0);
});

Deno.test("Agent answers commands without the LLM or a chat state", async () => {
  const { sent, say, llm } = setup();
  await say("/ping");
  assertEquals(sent, [
    { type: "message", to: "Alice@localhost/phone", body: "pong", messageType: "chat" },
  ]);
  assertEquals(llm.requests.length, 0);
});

Deno.test("Agent keeps the message and says so briefly when the LLM fails", async () => {
  const { sent, say, llm, memory } = setup();
  llm.fail = new LlmError("Anthropic API error 500", { kind: "server", status: 500 });
  await say("are you there?");
  assertEquals(sent.map((a) => a.type === "chat_state" ? a.state : "message"), [
    "composing",
    "paused",
    "message",
  ]);
  const reply = sent.at(-1);
  assertTrue(reply?.type === "message");
  assertIncludes(reply.body, "Your message is saved");
  assertEquals((await memory.recent("alice@localhost", 10)).map((e) => e.content), [
    "are you there?",
  ]);
  llm.fail = undefined;
  await say("now?");
  const lastRequest = llm.requests.at(-1);
  assertEquals(lastRequest?.messages, [{ role: "user", content: "are you there?\n\nnow?" }]);
});

Deno.test("Agent subscribes to allowed JIDs missing from the roster and accepts their requests", async () => {
  const { agent, sent } = setup({ roster: [] });
  agent.handle({ type: "online", jid: "bot@localhost/fluux-agent" });
  await agent.idle();
  agent.handle({ type: "subscribe", bare: "alice@localhost" });
  agent.handle({ type: "subscribe", bare: "eve@localhost" });
  assertEquals(sent.splice(0), [
    { type: "subscribe", to: "alice@localhost" },
    { type: "subscribed", to: "alice@localhost" },
  ]);
  // Alice declined (her roster entry stays unsubscribed): a reconnect does not ask again.
  agent.handle({ type: "online", jid: "bot@localhost/fluux-agent" });
  await agent.idle();
  assertEquals(sent, []);
});

Deno.test("Agent starts a new session after the idle timeout", async () => {
  const { say, llm, memory, clock } = setup({ idleTimeoutMs: 30 * 60_000 });
  await say("first");
  clock.now = new Date(clock.now.getTime() + 29 * 60_000);
  await say("second");
  assertEquals(llm.requests.at(-1)?.messages.length, 3, "within the timeout: same session");
  clock.now = new Date(clock.now.getTime() + 31 * 60_000);
  await say("after a break");
  assertEquals(llm.requests.at(-1)?.messages, [{ role: "user", content: "after a break" }]);
  assertEquals(await memory.archivedSessions("alice@localhost"), 1);
});

Deno.test("Agent shows the LLM only the most recent messages", async () => {
  const { say, llm } = setup({ maxHistoryMessages: 3 });
  for (const text of ["one", "two", "three"]) await say(text);
  assertEquals(llm.requests.at(-1)?.messages.map((m) => m.content), [
    "two",
    "echo: two",
    "three",
  ]);
});

const DEV_ROOM: RoomSettings = {
  jid: "dev@conference.localhost",
  nick: "bot",
  activation: "mention",
  historyOnJoin: 0,
  downloadAttachments: false,
};

Deno.test("Agent stores every room message with its sender and answers only when addressed", async () => {
  const { room, sent, llm, memory } = setup({ rooms: [DEV_ROOM] });
  await room("morning all", { stanzaId: "s1" });
  await room("ask @botanist", { stanzaId: "s2" });
  assertEquals(llm.requests.length, 0);
  await room("bot: what is XMPP?", { stanzaId: "s3" });
  assertEquals(llm.requests.length, 1);
  const request = llm.requests[0];
  assertEquals(request?.messages, [{
    role: "user",
    content: 'From "carol":\n> morning all\n\nFrom "carol":\n> ask @botanist\n\n' +
      'From "carol":\n> bot: what is XMPP?',
  }]);
  const reply = sent.find((a) => a.type === "message");
  assertEquals(reply?.type === "message" && [reply.to, reply.messageType], [
    "dev@conference.localhost",
    "groupchat",
  ]);
  const stored = await memory.recent("dev@conference.localhost", 10);
  assertEquals(stored[0]?.sender, "carol@muc");
  assertEquals(stored[0]?.msg_id, "s1");
});

Deno.test("Agent ignores its own reflected room messages", async () => {
  const { room, llm } = setup({ rooms: [{ ...DEV_ROOM, activation: "all" }] });
  await room("bot: echo of myself", { nick: "bot", own: true, originId: "o1", stanzaId: "s9" });
  assertEquals(llm.requests.length, 0);
});

Deno.test("Agent refuses /forget in a room without an allowed real JID", async () => {
  const { room, sent, memory } = setup({ rooms: [DEV_ROOM] });
  await room("hello");
  await room("bot: /forget");
  const reply = sent.at(-1);
  assertTrue(reply?.type === "message");
  assertIncludes(reply.body, "real JID");
  assertEquals(await memory.messageCount("dev@conference.localhost"), 2);
  await room("bot: /forget", { realJid: "alice@localhost" });
  assertIncludes((sent.at(-1) as { body: string }).body, "forgot");
});

Deno.test("Agent stores a reaction and shows it in the next turn", async () => {
  const { agent, say, llm, sent } = setup();
  await say("tell me a joke");
  const reply = sent.find((a) => a.type === "message");
  assertTrue(reply?.type === "message" && reply.id !== undefined);
  agent.handle({
    type: "reaction",
    from: "alice@localhost/phone",
    bare: "alice@localhost",
    messageId: reply.id,
    emojis: ["😂"],
  });
  await agent.idle();
  assertEquals(llm.requests.length, 1, "a reaction does not call the LLM by default");
  await say("another one");
  const last = llm.requests.at(-1)?.messages.at(-1)?.content;
  assertIncludes(String(last), 'The user reacted 😂 to your message "echo: tell me a joke"');
});

Deno.test("Agent keeps a thread's conversation apart and /new archives only that thread", async () => {
  const { agent, llm, memory, sent } = setup();
  const inThread = (body: string) => {
    agent.handle({
      type: "message",
      from: "alice@localhost/phone",
      bare: "alice@localhost",
      body,
      kind: "chat",
      thread: "t1",
    });
    return agent.idle();
  };
  const { say } = { say: (body: string) => inThread(body) };
  await say("in the thread");
  assertEquals(llm.requests.at(-1)?.messages, [{ role: "user", content: "in the thread" }]);
  assertEquals(sent.filter((a) => a.type === "message").every((a) => a.thread === "t1"), true);
  await inThread("/new");
  assertEquals(await memory.archivedSessions({ jid: "alice@localhost", thread: "t1" }), 1);
  assertEquals(await memory.archivedSessions("alice@localhost"), 0);
});

Deno.test("Agent joins a room an allowed JID invites it to, and remembers it", async () => {
  const { agent, sent, book } = setup();
  agent.handle({
    type: "invite",
    room: "fun@conference.localhost",
    inviter: "eve@localhost",
    direct: true,
  });
  agent.handle({
    type: "invite",
    room: "team@conference.localhost",
    inviter: "alice@localhost",
    direct: false,
  });
  await agent.idle();
  assertEquals(sent, [{ type: "join", room: "team@conference.localhost", nick: "fluux-agent" }]);
  assertEquals((await book.list()).map((r) => r.jid), ["team@conference.localhost"]);
});

Deno.test("Agent rejoins an invited room after a restart, with the room's password", async () => {
  const { agent, sent, book } = setup();
  await book.put({
    jid: "secret@conference.localhost",
    nick: "helper",
    inviter: "alice@localhost",
    password: "pw1",
    joined: "2026-11-27T10:00:00Z",
  });
  agent.handle({ type: "online", jid: "bot@localhost/fluux-agent" });
  await agent.idle();
  assertEquals(sent.filter((action) => action.type === "join"), [{
    type: "join",
    room: "secret@conference.localhost",
    nick: "helper",
    historyMaxStanzas: 0,
    password: "pw1",
  }]);
});

Deno.test("Agent applies the idle timeout in rooms too", async () => {
  const { room, llm, memory, clock } = setup({ rooms: [DEV_ROOM], idleTimeoutMs: 30 * 60_000 });
  await room("old chatter");
  clock.now = new Date(clock.now.getTime() + 31 * 60_000);
  await room("bot: fresh question");
  assertEquals(llm.requests.at(-1)?.messages, [{
    role: "user",
    content: 'From "carol":\n> bot: fresh question',
  }]);
  assertEquals(await memory.archivedSessions("dev@conference.localhost"), 1);
});

Deno.test("Agent records room attachments as metadata without downloading them", async () => {
  const downloads: string[] = [];
  const attachments: AttachmentIntake = {
    receive: (_jid, list) => {
      downloads.push(...list.map((a) => a.url));
      return Promise.resolve({ stored: [], blocks: [], failures: [], failed: [] });
    },
    describe: (list) =>
      list.map((a) => ({
        filename: "cat.png",
        mime_type: "image/png",
        size: "unknown",
        url: a.url,
      })),
  };
  const { room, memory } = setup({ rooms: [DEV_ROOM], attachments });
  await room("", { attachments: [{ url: "https://upload.localhost/cat.png" }] });
  assertEquals(downloads, []);
  const [entry] = await memory.recent("dev@conference.localhost", 1);
  assertEquals(entry?.attachments, [{
    filename: "cat.png",
    mime_type: "image/png",
    size: "unknown",
    url: "https://upload.localhost/cat.png",
  }]);
});

Deno.test("Agent keeps the link of an attachment it cannot download", async () => {
  const { agent, llm, memory } = setup();
  agent.handle({
    type: "message",
    from: "alice@localhost/phone",
    bare: "alice@localhost",
    body: "",
    kind: "chat",
    attachments: [{ url: "https://upload.localhost/cat.png" }],
  });
  await agent.idle();
  const [entry] = await memory.recent("alice@localhost", 2);
  assertEquals(entry?.content, "[attachment: https://upload.localhost/cat.png]");
  assertEquals(llm.requests[0]?.messages, [{
    role: "user",
    content: "[attachment: https://upload.localhost/cat.png]",
  }]);
});

Deno.test("Agent in client mode leaves presence probes to the server", async () => {
  const { agent, sent } = setup();
  agent.handle({
    type: "probe",
    from: "alice@localhost",
    bare: "alice@localhost",
    to: "bot@localhost",
  });
  await agent.idle();
  assertEquals(sent, []);
});

Deno.test("Agent as a component remembers who subscribed, tells them it is back, answers probes", async () => {
  const storage = memoryBookStorage(JSON.stringify({
    contacts: [{ jid: "mallory@elsewhere", address: "agent.localhost", since: "2026-01-01" }],
  }));
  const contacts = new ContactBook(storage);
  const { agent, sent } = setup({ mode: "component", contacts });
  agent.handle({ type: "subscribe", bare: "alice@localhost", to: "helper@agent.localhost" });
  await agent.idle();
  assertEquals(sent.splice(0), [
    { type: "subscribed", to: "alice@localhost", from: "helper@agent.localhost" },
  ]);
  assertIncludes(storage.text ?? "", '"alice@localhost"');

  agent.handle({ type: "online", jid: "agent.localhost" });
  await agent.idle();
  assertEquals(sent.splice(0), [
    { type: "announce", to: "alice@localhost", from: "helper@agent.localhost" },
  ], "a contact no longer allowed is not told");

  const probe = (bare: string) =>
    agent.handle({ type: "probe", from: `${bare}/phone`, bare, to: "agent.localhost" });
  probe("alice@localhost");
  probe("mallory@elsewhere");
  assertEquals(sent.splice(0), [
    { type: "announce", to: "alice@localhost/phone", from: "agent.localhost" },
  ], "a probe is answered to allowed JIDs only");
  await agent.idle();
  assertEquals(
    (await contacts.list()).map((c) => `${c.jid} ${c.address}`),
    [
      "mallory@elsewhere agent.localhost",
      "alice@localhost helper@agent.localhost",
      "alice@localhost agent.localhost",
    ],
    "a probing contact is remembered at the probed address",
  );

  agent.handle({ type: "unsubscribe", bare: "alice@localhost", to: "helper@agent.localhost" });
  await agent.idle();
  assertEquals((await contacts.list()).map((c) => `${c.jid} ${c.address}`), [
    "mallory@elsewhere agent.localhost",
    "alice@localhost agent.localhost",
  ], "an unsubscribe drops the contact at that address only");
});

Deno.test("Agent sends a webhook's or a schedule's result only to an allowed JID or one of its rooms", async () => {
  const { agent, sent, book } = setup({
    rooms: [{
      jid: "dev@conference.localhost",
      nick: "bot",
      activation: "mention",
      historyOnJoin: 0,
      downloadAttachments: false,
    }],
  });
  await book.put({
    jid: "invited@conference.localhost",
    nick: "bot",
    inviter: "alice@localhost",
    joined: "2026-11-27T09:00:00Z",
  });
  const notify = (to: string) =>
    agent.handle({
      type: "webhook",
      id: `w-${to}`,
      route: "/hooks/n",
      to,
      mode: "notify",
      text: `for ${to}`,
      receivedAt: "2026-11-27T10:00:00Z",
    });
  const task = (conversation: string) =>
    agent.handle({
      type: "schedule",
      id: "t1",
      origin: "user",
      conversation,
      kind: "text",
      text: `task for ${conversation}`,
      recurring: false,
      scheduledAt: "2026-11-27T10:00:00Z",
      firedAt: "2026-11-27T10:00:00Z",
      latenessMs: 0,
      catchUp: false,
    });
  for (const to of ["eve@localhost", "Alice@localhost", "../../etc", "alice@localhost"]) notify(to);
  for (const to of ["eve@localhost", "dev@conference.localhost", "invited@conference.localhost"]) {
    task(to);
  }
  await agent.idle();
  const bodies = sent.flatMap((action) =>
    action.type === "message" ? [`${action.to}: ${action.body}`] : []
  );
  assertEquals(bodies.sort(), [
    "alice@localhost: for alice@localhost",
    "dev@conference.localhost: task for dev@conference.localhost",
    "invited@conference.localhost: task for invited@conference.localhost",
  ]);
});
