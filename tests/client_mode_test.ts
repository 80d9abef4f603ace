/**
 * The agent in client mode, end to end: a real Prosody, the agent as a child process under
 * its derived permissions, a real slixmpp client as the human, and a fake LLM at the HTTP
 * wire level.
 */
import { assertEquals, assertIncludes, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm, waitForRequests } from "./support/fake_llm.ts";
import { connectHuman, type Human, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

interface AnthropicBody {
  system?: string;
  messages: { role: string; content: unknown }[];
}

/** The messages from the agent that arrived after `mark` (an index into `human.events`). */
function fromBotSince(human: Human, mark: number): HumanMessage[] {
  return human.events.slice(mark).filter((e): e is HumanMessage =>
    e.kind === "message" && e.from.startsWith(BOT)
  );
}

function readJsonl(text: string): Record<string, unknown>[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("client mode: conversations, commands and policy", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await prosody.register("eve", "evepass");
  await prosody.register("alice", "malpass", "elsewhere.localhost");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    allowedJids: ["alice@localhost", "bob@localhost"],
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  await t.step("an allowed user gets composing, then a reply carrying active", async () => {
    await alice.send(BOT, "What is XMPP?\n");
    const composing = await alice.nextMessage({ from: BOT });
    assertEquals(composing.chatState, "composing");
    assertEquals(composing.body, undefined);
    const reply = await alice.nextMessage({ from: BOT, withBody: true });
    assertEquals(reply.body, "echo: What is XMPP?");
    assertEquals(reply.chatState, "active");
    assertTrue(reply.id !== undefined && reply.id !== "", "the reply has an id");
    const body = llm.requests.at(-1)?.body as AnthropicBody;
    assertIncludes(body.system ?? "", "You are Fluux Agent");
    assertEquals(body.messages, [{ role: "user", content: "What is XMPP?" }]);
  });

  await t.step("the conversation is remembered in history.jsonl", async () => {
    await alice.send(BOT, "And Jabber?");
    await alice.nextMessage({ from: BOT, withBody: true });
    const body = llm.requests.at(-1)?.body as AnthropicBody;
    assertEquals(body.messages.map((m) => m.role), ["user", "assistant", "user"]);
    const history = `${agent.dataDir}/alice@localhost/history.jsonl`;
    // The answer is stored right after it is sent.
    await eventually(
      "the answer in history.jsonl",
      async () => (await Deno.readTextFile(history)).includes("echo: And Jabber?"),
    );
    const lines = readJsonl(await Deno.readTextFile(history));
    assertEquals(lines[0]?.type, "session");
    assertEquals(lines[0]?.jid, "alice@localhost");
    assertEquals(lines.slice(1).map((l) => [l.role, l.content]), [
      ["user", "What is XMPP?"],
      ["assistant", "echo: What is XMPP?"],
      ["user", "And Jabber?"],
      ["assistant", "echo: And Jabber?"],
    ]);
  });

  await t.step("/ping is answered without an LLM call or a chat state", async () => {
    const before = llm.chat_count;
    const mark = alice.events.length;
    await alice.send(BOT, "/ping");
    const reply = await alice.nextMessage({ from: BOT, withBody: true });
    assertEquals(reply.body, "pong");
    assertEquals(reply.chatState, undefined);
    assertEquals(llm.chat_count, before);
    assertEquals(fromBotSince(alice, mark).length, 1, "no chat state, only the answer");
  });

  await t.step("/status and an unknown command", async () => {
    await alice.send(BOT, "/status");
    const status = (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "";
    assertIncludes(status, "Mode: client");
    assertIncludes(status, "LLM: anthropic (test-model)");
    assertIncludes(status, "This session: 4 messages");
    await alice.send(BOT, "/frobnicate");
    assertIncludes((await alice.nextMessage({ from: BOT, withBody: true })).body ?? "", "/help");
  });

  await t.step("a stranger gets nothing and causes no LLM call", async () => {
    await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
    const before = llm.chat_count;
    await eve.send(BOT, "hello?");
    await eve.send(BOT, "/ping");
    await eve.expectSilence(BOT, 1500);
    assertEquals(llm.chat_count, before);
    await agent.waitForLog(/Ignored a message from eve@localhost/);
  });

  await t.step(
    "a user of a foreign domain gets nothing, even with an allowed local part",
    async () => {
      const foreign = { ...prosody, domain: "elsewhere.localhost" };
      await using mallory = await connectHuman(foreign, { user: "alice", password: "malpass" });
      const before = llm.chat_count;
      await mallory.send(BOT, "hello from elsewhere");
      await mallory.expectSilence(BOT, 1500);
      assertEquals(llm.chat_count, before);
      await agent.waitForLog(/Ignored a message from alice@elsewhere\.localhost: domain/);
    },
  );

  await t.step("an error or headline message is never answered", async () => {
    const before = llm.chat_count;
    await alice.send(BOT, "bounced", { type: "error" });
    await alice.send(BOT, "news", { type: "headline" });
    await alice.send(BOT, "", { noBody: true, chatState: "composing" });
    await alice.expectSilence(BOT, 1000);
    assertEquals(llm.chat_count, before);
  });

  await t.step("an LLM failure gives paused and a short error, and keeps the message", async () => {
    llm.failNext(500, 1);
    const mark = alice.events.length;
    await alice.send(BOT, "Remember this question");
    const error = await alice.nextMessage({ from: BOT, withBody: true });
    assertEquals(
      fromBotSince(alice, mark).map((m) => [m.chatState, m.body !== undefined]),
      [["composing", false], ["paused", false], ["paused", true]],
    );
    assertIncludes(error.body ?? "", "Your message is saved");
    assertTrue(!(error.body ?? "").includes("fake-llm-error-body"), "no raw API response");
    const history = await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`);
    assertIncludes(history, "Remember this question");
  });

  await t.step("/new archives the session and the next turn starts fresh", async () => {
    await alice.send(BOT, "/new");
    assertIncludes((await alice.nextMessage({ from: BOT, withBody: true })).body ?? "", "archived");
    const archives = [...Deno.readDirSync(`${agent.dataDir}/alice@localhost/sessions`)];
    assertEquals(archives.length, 1);
    assertTrue(/^\d{8}-\d{6}(-\d+)?\.jsonl$/.test(archives[0]?.name ?? ""), archives[0]?.name);
    await alice.send(BOT, "Fresh start");
    await alice.nextMessage({ from: BOT, withBody: true });
    const body = llm.requests.at(-1)?.body as AnthropicBody;
    assertEquals(body.messages, [{ role: "user", content: "Fresh start" }]);
  });

  await t.step("a slow reply for one user does not delay another user", async () => {
    await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });
    llm.script(({ last_user_text }) =>
      last_user_text.includes("slow") ? { text: "slow answer", delay_ms: 3000 } : undefined
    );
    try {
      const before = llm.chat_count;
      const mark = alice.events.length;
      await alice.send(BOT, "a slow question");
      await waitForRequests(llm, before + 1);
      await bob.send(BOT, "a quick question");
      const bobReply = await bob.nextMessage({ from: BOT, withBody: true });
      // Alice's reply, had it come first, would be among her events by now: the time taken
      // after it returns says nothing, since nextMessage() returns one already there at once.
      const aliceEarly = fromBotSince(alice, mark).filter((m) => m.body !== undefined);
      assertEquals(aliceEarly, [], "bob was answered before alice's slow reply arrived");
      const aliceReply = await alice.nextMessage({ from: BOT, withBody: true });
      assertEquals(bobReply.body, "echo: a quick question");
      assertEquals(aliceReply.body, "slow answer");
    } finally {
      llm.script(undefined);
    }
  });

  await t.step("IQs: ping, disco#info, version, and an error for anything else", async () => {
    const full = `${BOT}/fluux-agent`;
    assertEquals((await alice.iq(full, "ping")).type, "result");
    const disco = await alice.iq(full, "disco_info");
    assertEquals(disco.type, "result");
    assertTrue(disco.features?.includes("urn:xmpp:ping"), "disco lists ping");
    assertTrue(disco.features?.includes("http://jabber.org/protocol/chatstates"), "chat states");
    assertEquals(disco.identities?.[0]?.category, "client");
    const version = await alice.iq(full, "version");
    assertEquals(version.name, "Fluux Agent");
    const unknown = await alice.iq(
      full,
      `<iq type="get" to="${full}"><query xmlns="urn:example:unknown"/></iq>`,
    );
    assertEquals(unknown.type, "error");
    assertEquals(unknown.error, "service-unavailable");
    const set = await alice.iq(
      full,
      `<iq type="set" to="${full}"><query xmlns="urn:example:unknown"/></iq>`,
    );
    assertEquals(set.error, "service-unavailable");
  });

  await t.step(
    "subscriptions: an allowed user's request is accepted, a stranger's ignored",
    async () => {
      await alice.subscribe(BOT);
      await alice.waitFor((e) => e.kind === "subscribed" && e.from === BOT);
      await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
      await eve.subscribe(BOT);
      await agent.waitForLog(/Ignored a subscription request from eve@localhost/);
      await eve.expectSilence(BOT, 500);
      assertTrue(
        !eve.events.some((e) => e.kind === "subscribed"),
        "eve got no subscribed",
      );
    },
  );

  await t.step("SIGTERM stops the agent cleanly with exit code 0", async () => {
    assertEquals(await agent.stop(), 0);
  });
});

Deno.test("client mode with an Ollama model answers through /api/chat", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using _agent = await startAgent({ prosody, llmUrl: llm.url, provider: "ollama" });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "Bonjour");
  assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: Bonjour");
  const request = llm.requests.at(-1);
  assertEquals(request?.path, "/api/chat");
  const body = request?.body as { model: string; messages: { role: string; content: string }[] };
  assertEquals(body.model, "test-model");
  assertEquals(body.messages.map((m) => m.role), ["system", "user"]);
});
