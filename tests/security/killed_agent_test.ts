/**
 * Attack (or accident): the agent's process is killed — SIGKILL, the OOM killer, a power cut
 * with `memory.fsync` — while a flood of messages waits in its queues. Every message the
 * server had delivered used to be lost (1,954 of 2,000 in one run). Now each is written to the
 * inbox before it waits, the server is told it arrived only after that, and the next start
 * answers what was left. On ejabberd, whose shaper reads the agent slowly, answers written to
 * the socket but not yet read by the server were lost too (91 of 300 in one run): a message
 * now leaves the inbox only once the server has acknowledged its answer, and one that did not
 * gets its stored answer sent again. The disk filling up is told to the person and to the log.
 */
import { assertEquals, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";
import { TEST_SERVERS } from "../support/test_servers.ts";
import { registerFresh } from "../support/xmpp_server.ts";
import { fill, run } from "./_killed_webhooks.ts";

const BOT = "bot@localhost";
/**
 * Messages in the flood. On ejabberd fewer: Debian's c2s shaper reads each client at
 * 3000 B/s after a 20 kB burst, about five of the agent's answers a second (each with its
 * chat states, receipt and acknowledgements), and the point is the kill, not the shaper.
 */
const FLOOD = { prosody: 300, ejabberd: 180 } as const;

async function inboxRecords(dataDir: string): Promise<number> {
  const text = await Deno.readTextFile(`${dataDir}/inbox.jsonl`).catch(() => "");
  return text.split("\n").filter((line) => line.startsWith('{"n":')).length;
}

// Each server's own stream management (acknowledgements, what it does with a dead
// session), offline storage and archive meet the restarted agent.
for (const server of TEST_SERVERS) {
  const count = FLOOD[server.name];
  Deno.test(`[${server.name}] a flood survives SIGKILL: no answer lost or out of order after the restart, at most the one in flight repeated`, async () => {
    // A flood: Debian's 10 kb/s limit per client would only slow the test down.
    await using xmpp = await server.start({ prosody: { disabledModules: ["limits"] } });
    const bot = await registerFresh(xmpp, "bot");
    const person = await registerFresh(xmpp, "alice");
    const agent = { prosody: xmpp, user: bot.user, password: bot.password };
    const allowedJids = [person.jid];
    // A slow model, so that the queue is long when the process dies.
    await using llm = await startFakeLlm({ delay_ms: 30 });
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-killed-" });
    try {
      await using alice = await connectHuman(xmpp, person);
      const first = await startAgent({ ...agent, allowedJids, llmUrl: llm.url, dataDir });
      for (let i = 1; i <= count; i++) await alice.send(bot.jid, `m${i}`);
      // Every message has reached the agent and waits in its queue, and a third is answered:
      // on ejabberd more answers than its shaper lets through by then were once stored as
      // sent, and lost with the process.
      await eventually(
        "all messages recorded",
        async () => await inboxRecords(dataDir) >= count,
        30_000,
      );
      await eventually(
        "a third answered",
        async () => (await entries(dataDir, person.jid, "assistant")).length >= count / 3,
        30_000,
      );
      const answeredBefore = new Set(bodies(alice.events, bot.jid));
      assertTrue(
        answeredBefore.size < count / 2,
        `killed early enough (${answeredBefore.size} answered)`,
      );
      await first.kill();

      await using _second = await startAgent({ ...agent, allowedJids, llmUrl: llm.url, dataDir });
      const expected = Array.from({ length: count }, (_, i) => `echo: m${i + 1}`);
      // Waited for, then compared below: a failure shows which answers are missing.
      await eventually(
        "every message answered",
        () => expected.every((body) => bodies(alice.events, bot.jid).includes(body)),
        90_000,
      ).catch(() => {});
      // What the person reads: each answer once, in the order of the questions. Only the
      // answer in flight when the process died may come twice, the second right after the
      // first: the server may have had it without saying so yet.
      const answers = bodies(alice.events, bot.jid);
      const once = answers.filter((body, i) => body !== answers[i - 1]);
      assertEquals(once, expected, "each message answered, in order");
      assertTrue(answers.length <= count + 1, `${answers.length} answers for ${count} messages`);
      const history = () => entries(dataDir, person.jid, "user");
      await eventually("history written", async () => (await history()).length >= count);
      const users = await history();
      assertEquals(users.length, count, "each message stored once");
      assertEquals(new Set(users).size, count);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}

// The room, its history on a join and its archive are each server's own.
for (const server of TEST_SERVERS) {
  Deno.test(`[${server.name}] a room mention stored when the agent was killed is answered once after the restart, never again from the room's history`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const person = await registerFresh(xmpp, "alice");
    // The first run's model never answers in time: the process dies with the mention stored.
    await using llm = await startFakeLlm({ delay_ms: 60_000 });
    // A room of its own: the ejabberd is shared by the run.
    const room = `dev-${crypto.randomUUID().slice(0, 8)}@${xmpp.mucDomain}`;
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-killed-room-" });
    const agent = {
      prosody: xmpp,
      user: bot.user,
      password: bot.password,
      allowedJids: [person.jid],
      llmUrl: llm.url,
      dataDir,
      // The room gives its history to every join: the restarted agent reads the mention again.
      extraToml: `[[rooms]]\njid = "${room}"\nnick = "bot"\nhistory_on_join = 20\n`,
    };
    const asks = () =>
      llm.requests.filter((r) => JSON.stringify(r.body ?? "").includes("are you there")).length;
    const fromAgent = (e: { kind: string; from?: string; body?: string }): e is HumanMessage =>
      e.kind === "message" && e.from === `${room}/bot` && e.body !== undefined;
    try {
      await using alice = await connectHuman(xmpp, person);
      await alice.joinRoom(room, "alice");
      const first = await startAgent(agent);
      await first.waitForLog(new RegExp(`Joined ${room}`));
      await alice.send(room, "bot: are you there?", { type: "groupchat" });
      await eventually("the model asked", () => asks() === 1);
      await eventually(
        "the mention stored",
        async () => (await roomLines(dataDir, room)).length > 0,
      );
      await first.kill();

      llm.setDelay(0);
      await using second = await startAgent(agent);
      const answer = await alice.waitFor(fromAgent, 20_000);
      assertEquals(answer.body, 'echo: From "alice":\n> bot: are you there?');
      await second.waitForLog(new RegExp(`Joined ${room}`));
      await alice.expectSilence(`${room}/bot`, 1500, { withBody: true });
      assertEquals(alice.events.filter(fromAgent).length, 1, "answered once");
      assertEquals(asks(), 2, "asked once by each run");
      const lines = await roomLines(dataDir, room);
      const asked = lines.filter((line) => line.role === "user");
      assertEquals(asked.map((line) => line.content), ["bot: are you there?"], "stored once");
      const answers = lines.filter((line) => line.role === "assistant");
      assertEquals(answers.map((line) => line.answers), [asked[0]?.msg_id]);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}

/** The message entries of a room's history. */
async function roomLines(dataDir: string, room: string): Promise<Record<string, string>[]> {
  const text = await Deno.readTextFile(`${dataDir}/${room}/history.jsonl`).catch(() => "");
  return text.split("\n").flatMap((line) => {
    try {
      const entry = JSON.parse(line);
      return entry.type === "message" ? [entry] : [];
    } catch {
      return [];
    }
  });
}

function bodies(events: readonly { kind: string }[], bot: string): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(bot) && m.body !== undefined)
    .map((m) => m.body!);
}

/** The person's messages or the agent's answers in the conversation's history. */
async function entries(
  dataDir: string,
  jid: string,
  role: "user" | "assistant",
): Promise<string[]> {
  const text = await Deno.readTextFile(`${dataDir}/${jid}/history.jsonl`).catch(() => "");
  // A line being written is skipped: the next look sees it whole.
  return text.split("\n").flatMap((line) => {
    try {
      const entry = JSON.parse(line);
      return entry.type === "message" && entry.role === role ? [entry.content as string] : [];
    } catch {
      return [];
    }
  });
}

Deno.test("a full disk gets the person paused and an explanation, the log an error; space back, answers back", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  // A small file system of its own, as a full disk (mounting needs root, as on CI).
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-full-" });
  await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dataDir]);
  try {
    await using agent = await startAgent({ prosody, llmUrl: llm.url, dataDir });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.send(BOT, "hello");
    assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: hello");
    await fill(`${dataDir}/filler`);

    // Longer than the free end of the history file's last page: it needs a new one.
    const long = `are you there? ${"…".repeat(3000)}`;
    await alice.send(BOT, long);
    const reply = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
    assertTrue(reply.body?.includes("could not save your message") === true, reply.body);
    assertEquals(reply.chatState, "paused");
    const states = alice.events.filter((e): e is HumanMessage =>
      e.kind === "message" && e.from.startsWith(BOT) && e.chatState !== undefined
    );
    assertEquals(states.at(-1)?.chatState, "paused", "no typing left on the screen");
    const error = await agent.waitForLog(/ERROR .*could not be answered: .*No space left/);
    assertTrue(!error.includes("are you there"), "no content in the log");
    await agent.waitForLog(/ERROR .*Cannot record a message in the inbox/);
    // The LLM is asked while the message is stored; its answer is not sent without it.
    assertTrue(!bodies(alice.events, BOT).some((body) => body.startsWith("echo: are you there")));

    await Deno.remove(`${dataDir}/filler`);
    await alice.send(BOT, "and now?");
    assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: and now?");
  } finally {
    await run("umount", ["-l", dataDir]).catch(() => {});
    await Deno.remove(dataDir, { recursive: true });
  }
});
