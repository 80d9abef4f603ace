/**
 * The agent in rooms (XEP-0045), end to end: real Prosody MUC, slixmpp occupants, the agent
 * as a child process, a fake LLM at the HTTP wire level.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm, waitForRequests } from "./support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const ROOM = "dev@conference.localhost";
const LOUD = "all@conference.localhost";

function fromAgent(room: string) {
  return (event: { kind: string; from?: string; body?: string }): event is HumanMessage =>
    event.kind === "message" && event.from === `${room}/bot` && event.body !== undefined;
}

Deno.test("rooms: join, activation, own echo, rejoin and invitations", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("eve", "evepass");
  await using llm = await startFakeLlm();
  // Alice creates both rooms first, so she owns them (and may kick).
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.joinRoom(ROOM, "alice");
  await alice.joinRoom(LOUD, "alice");
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[[rooms]]
jid = "${ROOM}"
nick = "bot"

[[rooms]]
jid = "${LOUD}"
nick = "bot"
activation = "all"
`,
  });
  await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
  await agent.waitForLog(new RegExp(`Joined ${LOUD}`));

  await t.step("a message that does not mention the agent is stored but not answered", async () => {
    await alice.send(ROOM, "morning everyone", { type: "groupchat" });
    await alice.send(ROOM, "ask @botanist about plants", { type: "groupchat" });
    await alice.expectSilence(`${ROOM}/bot`, 1500, { withBody: true });
    assertEquals(llm.chat_count, 0);
    const history = await Deno.readTextFile(`${agent.dataDir}/${ROOM}/history.jsonl`);
    assertIncludes(history, '"sender":"alice@muc"');
    assertIncludes(history, "morning everyone");
  });

  await t.step(
    "a mention gets an answer in the room, with the room history attributed",
    async () => {
      await alice.send(ROOM, "bot: what did I say?", { type: "groupchat" });
      const reply = await alice.waitFor(fromAgent(ROOM));
      assertEquals(reply.type, "groupchat");
      const body = llm.requests.at(-1)?.body as { messages: { content: unknown }[] };
      const text = JSON.stringify(body.messages);
      const inJson = (part: string) => JSON.stringify(part).slice(1, -1);
      assertIncludes(text, inJson('From "alice":\n> morning everyone\n'));
      assertIncludes(text, inJson('From "alice":\n> bot: what did I say?'));
    },
  );

  await t.step(
    "the agent's own reflected message is neither answered nor stored twice",
    async () => {
      await alice.expectSilence(`${ROOM}/bot`, 1000, { withBody: true });
      assertEquals(llm.chat_count, 1);
      const lines = (await Deno.readTextFile(`${agent.dataDir}/${ROOM}/history.jsonl`)).trim()
        .split("\n").map((line) => JSON.parse(line));
      assertEquals(lines.filter((l) => l.role === "assistant").length, 1);
    },
  );

  await t.step("activation all answers every message", async () => {
    await alice.send(LOUD, "anyone here?", { type: "groupchat" });
    assertEquals(
      (await alice.waitFor(fromAgent(LOUD))).body,
      'echo: From "alice":\n> anyone here?',
    );
  });

  await t.step("the agent rejoins after the server restarts", async () => {
    await prosody.restart();
    await agent.waitForLog(new RegExp(`Joined ${ROOM}`), 20_000);
    await using bob = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await bob.joinRoom(ROOM, "alice");
    // Either the agent is already in (its presence came with the room roster) or it arrives.
    await bob.waitFor((e) => e.kind === "presence" && e.from === `${ROOM}/bot`, 20_000);
    const before = llm.chat_count;
    await bob.send(ROOM, "@bot are you back?", { type: "groupchat" });
    await bob.waitFor(fromAgent(ROOM), 15_000);
    assertEquals(llm.chat_count, before + 1);
  });

  await t.step("the agent rejoins after a kick", async () => {
    await using owner = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await owner.joinRoom(ROOM, "alice2");
    await owner.sendRaw(
      `<iq type="set" to="${ROOM}" id="kick1"><query xmlns="http://jabber.org/protocol/muc#admin">` +
        `<item nick="bot" role="none"><reason>testing</reason></item></query></iq>`,
    );
    await agent.waitForLog(new RegExp(`Left ${ROOM} \\(kicked`), 10_000);
    await agent.waitForLog(new RegExp(`Joined ${ROOM}`), 20_000);
  });

  await t.step("an invitation from an allowed JID is accepted, a stranger's ignored", async () => {
    await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
    await eve.joinRoom("eves@conference.localhost", "eve");
    await eve.sendRaw(
      `<message to="bot@localhost"><x xmlns="jabber:x:conference" jid="eves@conference.localhost"/></message>`,
    );
    await agent.waitForLog(/Ignored an invitation to eves@conference\.localhost/);
    await using carol = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await carol.joinRoom("team@conference.localhost", "alice");
    // Non-anonymous, so that the room names the inviter (a semi-anonymous one hides her).
    await carol.configureRoom("team@conference.localhost", { "muc#roomconfig_whois": "anyone" });
    await carol.sendRaw(
      `<message to="team@conference.localhost"><x xmlns="http://jabber.org/protocol/muc#user">` +
        `<invite to="bot@localhost"><reason>join us</reason></invite></x></message>`,
    );
    await agent.waitForLog(/Joined team@conference\.localhost/, 10_000);
    const book = JSON.parse(await Deno.readTextFile(`${agent.dataDir}/rooms.json`));
    assertEquals(book.rooms.map((r: { jid: string }) => r.jid), ["team@conference.localhost"]);
  });
});

Deno.test("one-to-one: a reaction is stored and shown next turn; a thread is a session of its own", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send("bot@localhost", "tell me a joke");
  const joke = await alice.nextMessage({ from: "bot@localhost", withBody: true });
  await alice.sendRaw(
    `<message to="bot@localhost" type="chat"><reactions xmlns="urn:xmpp:reactions:0" id="${joke.id}">` +
      `<reaction>😂</reaction></reactions></message>`,
  );
  await agent.waitForLog(/./, 500).catch(() => {});
  await alice.send("bot@localhost", "another one");
  // The echo holds the reaction's note and the message as two paragraphs: two messages.
  await alice.nextAnswer({ from: "bot@localhost" });
  assertEquals(llm.chat_count, 2, "the reaction itself did not call the LLM");
  const last = JSON.stringify((llm.requests.at(-1)?.body as { messages: unknown }).messages);
  assertIncludes(last, "reacted 😂 to your message");

  await alice.send("bot@localhost", "a side topic", { thread: "side-1" });
  const inThread = await alice.nextMessage({ from: "bot@localhost", withBody: true });
  assertEquals(inThread.thread, "side-1");
  const body = llm.requests.at(-1)?.body as { messages: unknown[] };
  assertEquals(body.messages, [{ role: "user", content: "a side topic" }]);
  await waitForRequests(llm, 3, { path: "/v1/messages" });
  assertTrue(
    (await Deno.stat(`${agent.dataDir}/alice@localhost/threads/side-1/history.jsonl`)).isFile,
  );
});

Deno.test("developer commands are refused to a normal user", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using _agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  for (const command of ["/debug", "/history", "/raw <message to='alice@localhost'/>"]) {
    await alice.send("bot@localhost", command);
    const reply = await alice.nextMessage({ from: "bot@localhost", withBody: true });
    assertIncludes(reply.body ?? "", "dev_command_jids");
  }
  assertEquals(llm.chat_count, 0);
});

Deno.test("rooms: a reaction to the agent's message is matched by the room's stanza-id", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.joinRoom(ROOM, "alice");
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `[[rooms]]\njid = "${ROOM}"\nnick = "bot"\n`,
  });
  await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
  await alice.send(ROOM, "bot: tell me a joke", { type: "groupchat" });
  const joke = await alice.waitFor(fromAgent(ROOM));
  const stanzaId = /<stanza-id[^>]*\sid="([^"]+)"/.exec(joke.xml)?.[1];
  assertTrue(stanzaId !== undefined, `the room stamps a stanza-id: ${joke.xml}`);
  await alice.sendRaw(
    `<message to="${ROOM}" type="groupchat"><reactions xmlns="urn:xmpp:reactions:0" ` +
      `id="${stanzaId}"><reaction>👍</reaction></reactions></message>`,
  );
  await alice.send(ROOM, "bot: another one", { type: "groupchat" });
  await alice.waitFor(fromAgent(ROOM));
  assertEquals(llm.chat_count, 2, "the reaction did not call the LLM");
  const last = JSON.stringify((llm.requests.at(-1)?.body as { messages: unknown }).messages);
  const reaction = 'From "alice":\n> [reacted 👍 to your message "echo: From "alice": > bot: ' +
    'tell me a joke"]';
  assertIncludes(last, JSON.stringify(reaction).slice(1, -1));
});

Deno.test("rooms: /forget needs an occupant whose real JID is allowed", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("eve", "evepass");
  await using llm = await startFakeLlm();
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.joinRoom(ROOM, "alice");
  // Non-anonymous: the agent, a participant, must see who is who.
  await alice.configureRoom(ROOM, { "muc#roomconfig_whois": "anyone" });
  await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
  await eve.joinRoom(ROOM, "eve");
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `[[rooms]]\njid = "${ROOM}"\nnick = "bot"\n`,
  });
  await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
  await eve.send(ROOM, "bot: hello from eve", { type: "groupchat" });
  assertEquals(
    (await eve.waitFor(fromAgent(ROOM))).body,
    'echo: From "eve":\n> bot: hello from eve',
  );
  await eve.send(ROOM, "bot: /forget", { type: "groupchat" });
  assertIncludes((await eve.waitFor(fromAgent(ROOM))).body ?? "", "real JID");
  assertIncludes(
    await Deno.readTextFile(`${agent.dataDir}/${ROOM}/history.jsonl`),
    "hello from eve",
  );
  await alice.send(ROOM, "bot: /forget", { type: "groupchat" });
  const done = await alice.waitFor((e): e is HumanMessage =>
    fromAgent(ROOM)(e) && (e.body ?? "").includes("forgot")
  );
  assertIncludes(done.body ?? "", "forgot");
});

Deno.test("rooms: on a server that locks new rooms, the agent unlocks the rooms it creates", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("carol", "carolpass");
  await using llm = await startFakeLlm();
  // Carol creates a room and never configures it: it stays locked, and it is hers.
  await using carol = await connectHuman(prosody, { user: "carol", password: "carolpass" });
  await carol.sendRaw(
    `<presence to="stuck@conference.localhost/carol"><x xmlns="http://jabber.org/protocol/muc"/></presence>`,
  );
  await carol.waitFor((e) => e.kind === "presence" && e.xml.includes('code="201"'));
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[[rooms]]
jid = "fresh@conference.localhost"
nick = "bot"

[[rooms]]
jid = "kept@conference.localhost"
nick = "bot"
[rooms.create]
name = "Kept room"
persistent = true
whois = "anyone"

[[rooms]]
jid = "stuck@conference.localhost"
nick = "bot"
`,
  });
  await agent.waitForLog(/Created fresh@conference\.localhost with the service's default/);
  await agent.waitForLog(
    /Created kept@conference\.localhost and configured it \(name "Kept room", persistent, real JIDs visible to anyone\)/,
  );
  await agent.waitForLog(/Left stuck@conference\.localhost \(error: .*locked until its creator/);

  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  for (const room of ["fresh@conference.localhost", "kept@conference.localhost"]) {
    await alice.joinRoom(room, "alice");
    await alice.send(room, "bot: can I come in?", { type: "groupchat" });
    const reply = await alice.waitFor(fromAgent(room));
    assertEquals(reply.body, 'echo: From "alice":\n> bot: can I come in?');
  }
  const kept = await alice.iq("kept@conference.localhost", "disco_info");
  assertTrue(kept.features?.includes("muc_persistent"), JSON.stringify(kept.features));
  assertTrue(kept.features?.includes("muc_nonanonymous"), JSON.stringify(kept.features));
  assertEquals(kept.identities?.[0]?.name, "Kept room");
  const fresh = await alice.iq("fresh@conference.localhost", "disco_info");
  assertTrue(fresh.features?.includes("muc_temporary"), "the service's default: temporary");
  assertEquals(llm.chat_count, 2);
});
