/**
 * Nothing lost while the agent is away (XEP-0313): twenty messages sent while it is stopped
 * are each answered once, in order, after it starts — with offline storage (which delivers
 * them too: the archive's copies are recognised) and without it (only the archive has them);
 * one sent as the agent comes back, while it reads its archive, is answered after them.
 */
import { assertEquals, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { sharedEjabberd } from "./support/shared_ejabberd.ts";
import { registerFresh } from "./support/xmpp_server.ts";

const COUNT = 20;

const VARIANTS = [
  { name: "Prosody with offline storage", start: () => startProsody() },
  {
    name: "Prosody with the archive alone",
    start: () => startProsody({ disabledModules: ["offline"] }),
  },
  { name: "ejabberd with offline storage", start: () => sharedEjabberd() },
];

for (const variant of VARIANTS) {
  Deno.test(`catch-up: messages sent while the agent is stopped, ${variant.name}`, async () => {
    await using server = await variant.start();
    const bot = await registerFresh(server, "bot");
    const person = await registerFresh(server, "alice");
    await using llm = await startFakeLlm();
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-catch-up-" });
    const agentOptions = {
      prosody: server,
      llmUrl: llm.url,
      dataDir,
      user: bot.user,
      password: bot.password,
      allowedJids: [person.jid],
    };
    try {
      await using alice = await connectHuman(server, person);
      {
        await using first = await startAgent(agentOptions);
        await first.waitForLog(/Catch-up \(XEP-0313\): the end of the agent's archive is marked/);
        await alice.send(bot.jid, "before the stop");
        const reply = await alice.nextMessage({ from: bot.jid, withBody: true });
        assertEquals(reply.body, "echo: before the stop");
        assertEquals(await first.stop(), 0);
      }
      const sent = Array.from({ length: COUNT }, (_, i) => `missed ${i + 1}`);
      for (const body of sent) await alice.send(bot.jid, body);
      const mark = alice.events.length;
      const calls = llm.chat_count;

      await using second = await startAgent(agentOptions);
      const answers: string[] = [];
      while (answers.length < COUNT) {
        const reply = await alice.nextMessage({ from: bot.jid, withBody: true, timeoutMs: 30_000 });
        answers.push(reply.body ?? "");
      }
      assertEquals(answers, sent.map((body) => `echo: ${body}`));
      // The archive gave all twenty (offline storage gave them first, when it is on).
      await second.waitForLog(new RegExp(`Read ${COUNT} message\\(s\\) from the agent's archive`));
      // Each once: nothing more comes, and the LLM answered each one once.
      await alice.expectSilence(bot.jid, 2_000, { withBody: true });
      assertEquals(llm.chat_count - calls, COUNT);
      const replies = alice.events.slice(mark).filter((e): e is HumanMessage =>
        e.kind === "message" && e.from.startsWith(bot.jid) && e.body !== undefined
      );
      assertEquals(replies.length, COUNT);
      const history = await Deno.readTextFile(`${dataDir}/${person.jid}/history.jsonl`);
      for (const body of sent) {
        const stored = history.split("\n").filter((line) => line.includes(`"${body}"`));
        assertTrue(stored.length === 1, `"${body}" stored once, not ${stored.length} times`);
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}

Deno.test("catch-up: a message sent as the agent comes back is answered after those it missed", async () => {
  // The archive alone has what was missed, six pages of it (and no rate limit holds back the person's sends).
  await using server = await startProsody({ disabledModules: ["offline", "limits"] });
  const bot = await registerFresh(server, "bot");
  const person = await registerFresh(server, "alice");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-catch-up-live-" });
  const agentOptions = {
    prosody: server,
    llmUrl: llm.url,
    dataDir,
    user: bot.user,
    password: bot.password,
    allowedJids: [person.jid],
  };
  try {
    await using alice = await connectHuman(server, person);
    {
      await using first = await startAgent(agentOptions);
      await first.waitForLog(/Catch-up \(XEP-0313\): the end of the agent's archive is marked/);
      assertEquals(await first.stop(), 0);
    }
    const missed = Array.from({ length: 300 }, (_, i) => `missed ${i + 1}`);
    for (const body of missed) await alice.send(bot.jid, body);
    // The server handles a stream in order: once it answers, all of them are archived.
    await alice.roster();
    // Online: reading its archive now.
    await using _second = await startAgent(agentOptions);
    await alice.send(bot.jid, "are you back?");
    const answers: string[] = [];
    while (answers.length < missed.length + 1) {
      const reply = await alice.nextMessage({ from: bot.jid, withBody: true, timeoutMs: 30_000 });
      answers.push(reply.body ?? "");
    }
    assertEquals(answers, [...missed, "are you back?"].map((body) => `echo: ${body}`));
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

const ROOM = "team@conference.localhost";

function roomToml(answerMissed: boolean): string {
  return `[[rooms]]\njid = "${ROOM}"\nnick = "bot"\nanswer_missed = ${answerMissed}\n`;
}

Deno.test("catch-up: a room's archive fills its history; old mentions answered only when asked", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-catch-up-room-" });
  try {
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.joinRoom(ROOM, "alice");
    const fromBot = (e: { kind: string; from?: string; body?: string }) =>
      e.kind === "message" && e.from === `${ROOM}/bot` && e.body !== undefined;
    {
      await using first = await startAgent({
        prosody,
        llmUrl: llm.url,
        dataDir,
        extraToml: roomToml(false),
      });
      await first.waitForLog(new RegExp(`the end of the archive of ${ROOM} is marked`));
      assertEquals(await first.stop(), 0);
    }
    await alice.send(ROOM, "morning all", { type: "groupchat" });
    await alice.send(ROOM, "bot: did you see this?", { type: "groupchat" });
    const calls = llm.chat_count;
    {
      await using second = await startAgent({
        prosody,
        llmUrl: llm.url,
        dataDir,
        extraToml: roomToml(false),
      });
      await second.waitForLog(new RegExp(`Read 2 message\\(s\\) from the archive of ${ROOM}`));
      const history = `${dataDir}/${ROOM}/history.jsonl`;
      await eventually("both missed messages in the room's history", async () => {
        const text = await Deno.readTextFile(history).catch(() => "");
        return text.includes("morning all") && text.includes("did you see this?");
      });
      const mark = alice.events.length;
      await alice.expectSilence(`${ROOM}/bot`, 2_000, { withBody: true, since: mark });
      assertEquals(llm.chat_count, calls, "an old mention is not answered");
      assertEquals(await second.stop(), 0);
    }
    await alice.send(ROOM, "bot: and this one?", { type: "groupchat" });
    await using _third = await startAgent({
      prosody,
      llmUrl: llm.url,
      dataDir,
      extraToml: roomToml(true),
    });
    const answer = await alice.waitFor(fromBot, 20_000);
    const body = answer.kind === "message" ? answer.body ?? "" : "";
    assertTrue(body.startsWith("echo:") && body.endsWith("bot: and this one?"), body);
    // Stored before, so not answered now; the new mention once.
    await alice.expectSilence(`${ROOM}/bot`, 2_000, { withBody: true });
    const text = await Deno.readTextFile(`${dataDir}/${ROOM}/history.jsonl`);
    const said = text.trim().split("\n").map((line) => JSON.parse(line))
      .filter((entry) => entry.role === "user").map((entry) => entry.content);
    assertEquals(said, ["morning all", "bot: did you see this?", "bot: and this one?"]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
