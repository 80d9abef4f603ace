/**
 * The core of the agent on both servers people deploy, each with Debian's default modules:
 * login, chat with typing, commands, rooms, component mode, a message delivered twice, an
 * encrypted message, a private message through a room, reconnecting after a server
 * restart, and stream management (XEP-0198, on by default in both): staying connected with
 * a roster and offline messages waiting, resuming a cut connection without losing or
 * repeating a stanza, and a stream error said at warn.
 */
import { assertEquals, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanEvent, type HumanMessage } from "./support/human.ts";
import { startTcpProxy } from "./support/tcp_proxy.ts";
import { TEST_SERVERS } from "./support/test_servers.ts";
import { randomHex, registerFresh } from "./support/xmpp_server.ts";

function bodiesFrom(events: readonly HumanEvent[], from: string): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from === from || m.from.startsWith(`${from}/`))
    .flatMap((m) => m.body === undefined ? [] : [m.body]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const server of TEST_SERVERS) {
  const name = server.name;

  Deno.test(`[${name}] login, chat with typing, commands and a stranger ignored`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    const eve = await registerFresh(xmpp, "eve");
    await using llm = await startFakeLlm();
    await using agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
    });
    await using human = await connectHuman(xmpp, alice);
    await human.send(bot.jid, "hello there");
    const composing = await human.nextMessage({ from: bot.jid });
    assertEquals(composing.chatState, "composing");
    const reply = await human.nextMessage({ from: bot.jid, withBody: true });
    assertEquals([reply.body, reply.chatState], ["echo: hello there", "active"]);
    await human.send(bot.jid, "/ping");
    assertEquals((await human.nextMessage({ from: bot.jid, withBody: true })).body, "pong");
    await using stranger = await connectHuman(xmpp, eve);
    await stranger.send(bot.jid, "let me in");
    await agent.waitForLog(new RegExp(`Ignored a message from ${eve.jid}`));
    await stranger.expectSilence(bot.jid, 500);
    assertEquals(llm.chat_count, 1);
  });

  Deno.test(`[${name}] a configured room is joined and a mention answered there`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    const room = `core-${randomHex(4)}@${xmpp.mucDomain}`;
    await using llm = await startFakeLlm();
    await using agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
      extraToml: `[[rooms]]\njid = "${room}"\nnick = "bot"\n`,
    });
    await agent.waitForLog(new RegExp(`Joined ${room}`), 15_000);
    await using human = await connectHuman(xmpp, alice);
    await human.joinRoom(room, "alice");
    await human.send(room, "bot: are you here?", { type: "groupchat" });
    const reply = await human.waitFor(
      (e) => e.kind === "message" && e.from === `${room}/bot` && e.body !== undefined,
      15_000,
    ) as HumanMessage;
    assertEquals(reply.body, 'echo: From "alice":\n> bot: are you here?');
  });

  Deno.test(`[${name}] component mode: anything@agent.localhost answers`, async () => {
    await using xmpp = await server.start();
    const alice = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-core-component-" });
    try {
      await using _agent = await startAgent({
        prosody: xmpp,
        llmUrl: llm.url,
        configToml: `
[server]
mode = "component"
host = "127.0.0.1"
port = ${xmpp.componentPort}
component_domain = "${xmpp.componentDomain}"
component_secret = "${xmpp.componentSecret}"

[llm]
provider = "ollama"
model = "test-model"
host = "${llm.url}"
max_retries = 0

[agent]
allowed_jids = ["${alice.jid}"]

[memory]
path = "${dataDir}"
`,
      });
      await using human = await connectHuman(xmpp, alice);
      const helper = `helper@${xmpp.componentDomain}`;
      await human.send(helper, "hello component");
      assertEquals(
        (await human.nextMessage({ from: helper, withBody: true, timeoutMs: 15_000 })).body,
        "echo: hello component",
      );
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });

  Deno.test(`[${name}] a message delivered again after a restart is answered once`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-core-redelivery-" });
    try {
      const options = {
        prosody: xmpp,
        llmUrl: llm.url,
        user: bot.user,
        password: bot.password,
        allowedJids: [alice.jid],
        dataDir,
      };
      await using human = await connectHuman(xmpp, alice);
      const message = (extra = "") =>
        `<message to="${bot.jid}" type="chat" id="again-1"><body>only once</body>${extra}</message>`;
      {
        await using _first = await startAgent(options);
        await human.sendRaw(message());
        assertEquals(
          (await human.nextMessage({ from: bot.jid, withBody: true })).body,
          "echo: only once",
        );
      }
      await using agent = await startAgent(options);
      // What offline storage or a hibernated stream delivers: same id, another <delay/>.
      await human.sendRaw(message(
        `<delay xmlns="urn:xmpp:delay" from="${xmpp.domain}" stamp="${new Date().toISOString()}"/>`,
      ));
      await agent.waitForLog(/delivered again/);
      await human.expectSilence(bot.jid, 1000, { withBody: true });
      assertEquals(llm.chat_count, 1);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });

  Deno.test(`[${name}] an OMEMO message gets a notice, never the LLM`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    await using _agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
    });
    await using human = await connectHuman(xmpp, alice);
    await human.sendRaw(
      `<message to="${bot.jid}" type="chat" id="omemo-1"><body>I sent you an OMEMO encrypted ` +
        `message but your client doesn't seem to support that.</body>` +
        `<encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1"><key rid="2">a2V5` +
        `</key><iv>aXY=</iv></header><payload>cGF5bG9hZA==</payload></encrypted></message>`,
    );
    const notice = await human.nextMessage({ from: bot.jid, withBody: true });
    assertTrue(/cannot read encrypted messages/.test(notice.body ?? ""), notice.body);
    assertEquals(llm.chat_count, 0);
  });

  Deno.test(`[${name}] a private message through a room is the occupant's own conversation`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    const room = `pm-${randomHex(4)}@${xmpp.mucDomain}`;
    await using llm = await startFakeLlm();
    await using agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
      extraToml: `[[rooms]]\njid = "${room}"\nnick = "bot"\n`,
    });
    await agent.waitForLog(new RegExp(`Joined ${room}`), 15_000);
    await using human = await connectHuman(xmpp, alice);
    await human.joinRoom(room, "alice");
    await human.send(room, "bot: hello room", { type: "groupchat" });
    await human.waitFor(
      (e) => e.kind === "message" && e.from === `${room}/bot` && !!e.body,
      15_000,
    );
    // The agent created the room, so it moderates it and sees real JIDs: the private message
    // is alice's conversation, judged as alice, and never touches the room's memory.
    await human.send(`${room}/bot`, "/forget", { type: "chat" });
    const answer = await human.nextMessage({ from: `${room}/bot`, withBody: true });
    assertEquals(answer.type, "chat");
    await agent.waitForLog(new RegExp(`Handled chat from ${alice.jid}: command /forget`));
    const roomHistory = await Deno.readTextFile(`${agent.dataDir}/${room}/history.jsonl`);
    assertTrue(roomHistory.includes("hello room"), "the room's memory is untouched");
  });

  Deno.test(`[${name}] after a server restart the agent is back and answers`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    await using agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
    });
    await xmpp.restart();
    await agent.waitForLog(/Disconnected/, 20_000);
    await agent.lines.waitFor(
      (line) =>
        /Online as|Resumed the session/.test(line) && agent.lines.events.indexOf(line) >
          agent.lines.events.findIndex((l) => /Disconnected/.test(l)),
      { timeoutMs: 30_000, description: "back online" },
    );
    await using human = await connectHuman(xmpp, alice);
    await human.send(bot.jid, "still there?");
    const reply = await human.nextMessage({ from: bot.jid, withBody: true, timeoutMs: 15_000 });
    assertEquals(reply.body, "echo: still there?");
  });

  Deno.test(`[${name}] with a roster and an offline message waiting, a restarted agent stays online 30 s`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    await using human = await connectHuman(xmpp, { ...alice, autoAccept: true });
    const options = {
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
    };
    {
      await using agent = await startAgent(options);
      await human.subscribe(bot.jid);
      // Each asks the other: both rosters hold a mutual subscription.
      await eventually("a mutual subscription", async () => {
        const item = (await human.roster()).find((entry) => entry.jid === bot.jid);
        return item?.subscription === "both";
      }, 15_000);
      assertEquals(await agent.stop(), 0);
    }
    await human.send(bot.jid, "while you were away");
    await using agent = await startAgent({
      ...options,
      extraToml: "[keepalive]\nping_interval_secs = 5\nping_timeout_secs = 5",
    });
    const reply = await human.nextMessage({ from: bot.jid, withBody: true, timeoutMs: 15_000 });
    assertEquals(reply.body, "echo: while you were away");
    // Long enough for the server's acknowledgement requests, keepalive pings and any late
    // stream error.
    await sleep(30_000);
    await human.send(bot.jid, "still with me?");
    assertEquals(
      (await human.nextMessage({ from: bot.jid, withBody: true })).body,
      "echo: still with me?",
    );
    const lines = agent.lines.events;
    const trouble = lines.filter((line) =>
      /Disconnected|Stream error|Retrying| WARN | ERROR /.test(line)
    );
    assertEquals(trouble, [], "no disconnection, stream error or warning in 30 s");
    assertEquals(lines.filter((line) => /Online as/.test(line)).length, 1);
    assertTrue(lines.some((line) => /Stream management on, resumable/.test(line)));
    const answers = bodiesFrom(human.events, bot.jid).filter((b) =>
      b === "echo: while you were away"
    );
    assertEquals(answers.length, 1);
  });

  Deno.test(`[${name}] a cut connection is resumed: 200 messages answered once each, in order`, async () => {
    // The human floods; Prosody's 10 kb/s client limit would only make the test slower.
    await using xmpp = await server.start({ prosody: { disabledModules: ["limits"] } });
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    await using proxy = await startTcpProxy({ port: xmpp.c2sPort });
    await using llm = await startFakeLlm();
    await using agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
      serverPort: proxy.port,
    });
    await using human = await connectHuman(xmpp, alice);
    const count = 200;
    for (let i = 1; i <= count; i++) {
      await human.send(bot.jid, `m${i}`);
      if (i === 40) proxy.cut();
      if (i % 20 === 0) await sleep(20);
    }
    await human.waitFor(
      (e) => e.kind === "message" && (e as HumanMessage).body === `echo: m${count}`,
      90_000,
    );
    // Anything repeated would arrive right after.
    await sleep(1_500);
    const expected = Array.from({ length: count }, (_, i) => `echo: m${i + 1}`);
    assertEquals(bodiesFrom(human.events, bot.jid), expected);
    const lines = agent.lines.events;
    assertTrue(lines.some((line) => /Disconnected .*to resume the session/.test(line)), "cut seen");
    assertTrue(lines.some((line) => /Resumed the session as /.test(line)), "resumed");
    assertEquals(lines.filter((line) => /Online as/.test(line)).length, 1, "no new login");
    assertTrue(proxy.accepted >= 2, "the agent came back through the proxy");
  });

  Deno.test(`[${name}] a stream error is logged at warn with its condition and text`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    await using llm = await startFakeLlm();
    await using agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
    });
    // Another client binding the agent's resource replaces its session (RFC 6120 §7.7.2.2).
    await using _twin = await connectHuman(xmpp, { ...bot, resource: "fluux-agent" });
    const line = await agent.waitForLog(/Stream error/);
    assertTrue(/WARN .*Stream error from the server: conflict/.test(line), line);
  });
}
