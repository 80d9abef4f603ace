/**
 * Attack: erasing a room's memory through a private message. With a permissive config (any
 * JID of the server's domain and of the conference domain allowed), an occupant from a
 * domain that is not allowed sends `/forget` privately to `room@service/agent-nick`; the
 * message's bare JID is the room, and it used to be taken for the room's own conversation.
 * What stops it: a private message through a room is its own conversation, keyed by the
 * occupant's real JID when the room discloses it and judged by the policy on that JID;
 * otherwise it is refused. Expected: no reply, no LLM call, the room's history intact, a log
 * line naming the real reason; an allowed occupant's private message is answered privately
 * and stored under their own JID.
 */
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";
import { TEST_OTHER_DOMAIN } from "../support/prosody_config.ts";

const ROOM = "dev@conference.localhost";
const AGENT = `${ROOM}/bot`;

Deno.test("security: a private /forget through a room from a stranger erases nothing", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("eve", "evepass", TEST_OTHER_DOMAIN);
  await using llm = await startFakeLlm();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    allowedJids: ["*"],
    allowedDomains: ["localhost", "conference.localhost"],
    extraToml: `[[rooms]]\njid = "${ROOM}"\nnick = "bot"\n`,
  });
  await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.joinRoom(ROOM, "alice");
  await alice.send(ROOM, "the release is on friday", { type: "groupchat" });
  await alice.send(ROOM, "bot: noted?", { type: "groupchat" });
  await alice.waitFor((e) => e.kind === "message" && e.from === AGENT && e.body !== undefined);
  const history = `${agent.dataDir}/${ROOM}/history.jsonl`;
  const before = await Deno.readTextFile(history);

  await using eve = await connectHuman({ ...prosody, domain: TEST_OTHER_DOMAIN }, {
    user: "eve",
    password: "evepass",
  });
  await eve.joinRoom(ROOM, "eve");
  const requests = llm.request_count;
  await eve.send(AGENT, "/forget");
  await agent.waitForLog(
    /Ignored a private message from eve@elsewhere\.localhost through dev@conference\.localhost\/eve: domain "elsewhere\.localhost" is not in agent\.allowed_domains/,
  );
  await eve.send(AGENT, "what did alice say?");
  await eve.send(ROOM, "bot: /forget", { type: "groupchat" });
  // (The room replays its recent history to a newcomer: the refusal is the one about JIDs.)
  await eve.waitFor((e): e is HumanMessage =>
    e.kind === "message" && e.from === AGENT && e.type === "groupchat" &&
    (e.body ?? "").includes("real JID")
  );
  assertEquals(
    eve.events.filter((e) => e.kind === "message" && e.from === AGENT && e.type === "chat"),
    [],
    "nothing came back privately",
  );
  assertEquals(llm.request_count, requests, "no LLM call");
  const after = await Deno.readTextFile(history);
  assertTrue(after.startsWith(before), "the room's history is intact");
  assertIncludes(after, "the release is on friday");

  // An allowed occupant's private message is a conversation of their own.
  await alice.send(AGENT, "just between us");
  const reply = await alice.waitFor((e): e is HumanMessage =>
    e.kind === "message" && e.from === AGENT && e.type === "chat" && e.body !== undefined
  );
  assertEquals(reply.body, "echo: just between us");
  const sent = JSON.stringify((llm.requests.at(-1)?.body as { messages: unknown }).messages);
  assertTrue(!sent.includes("friday"), "the private conversation does not see the room's");
  assertIncludes(
    await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`),
    "just between us",
  );
  await alice.send(AGENT, "/forget");
  await alice.waitFor((e) => e.kind === "message" && e.from === AGENT && e.type === "chat");
  assertIncludes(await Deno.readTextFile(history), "the release is on friday");
  assertTrue((await agent.stop()) === 0, "the agent stops cleanly");
});

Deno.test("security: a private message through a room that hides real JIDs is refused, even when the room's domain is allowed", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  // Alice owns the room and makes it semi-anonymous: only moderators see real JIDs, and the
  // agent joins as a participant.
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.joinRoom(ROOM, "alice");
  await alice.configureRoom(ROOM, { "muc#roomconfig_whois": "moderators" });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    allowedJids: ["*"],
    allowedDomains: ["localhost", "conference.localhost"],
    extraToml: `[[rooms]]\njid = "${ROOM}"\nnick = "bot"\n`,
  });
  await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
  await alice.send(ROOM, "remember the milk", { type: "groupchat" });
  await alice.send(ROOM, "bot: ok?", { type: "groupchat" });
  await alice.waitFor((e) =>
    e.kind === "message" && e.from === AGENT && e.type === "groupchat" && e.body !== undefined
  );
  await alice.send(AGENT, "/forget");
  await agent.waitForLog(
    /Ignored a private message from dev@conference\.localhost\/alice: the room does not tell the agent who dev@conference\.localhost\/alice is/,
  );
  await alice.send(ROOM, "bot: hello", { type: "groupchat" });
  await alice.waitFor((e) =>
    e.kind === "message" && e.from === AGENT && (e.body ?? "").includes("bot: hello")
  );
  assertEquals(
    alice.events.filter((e) => e.kind === "message" && e.from === AGENT && e.type === "chat"),
    [],
  );
  assertEquals(llm.request_count, 2, "only the room's messages reached the LLM");
  assertIncludes(
    await Deno.readTextFile(`${agent.dataDir}/${ROOM}/history.jsonl`),
    "remember the milk",
  );
});
