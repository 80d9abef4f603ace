/**
 * Stream management (XEP-0198) as servers deploy it: on by default in Prosody and ejabberd.
 * The agent must stay connected with a roster and offline messages waiting, answer the
 * server's acknowledgement requests, resume a broken session without losing or repeating a
 * stanza in either direction, and say why the server ended a stream.
 */
import { assertEquals, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { startTcpProxy } from "./support/tcp_proxy.ts";

const BOT = "bot@localhost";

function repliesFrom(events: readonly { kind: string }[], from: string): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(`${from}/`) || m.from === from)
    .flatMap((m) => m.body === undefined ? [] : [m.body]);
}

Deno.test("with a roster and offline messages waiting, a restarted agent stays online for 30 s", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using alice = await connectHuman(prosody, {
    user: "alice",
    password: "alicepass",
    autoAccept: true,
  });
  {
    await using agent = await startAgent({ prosody, llmUrl: llm.url });
    await alice.subscribe(BOT);
    await alice.waitFor((e) => e.kind === "subscribed" && e.from === BOT);
    // The agent asks back; with both subscriptions its roster holds alice.
    await alice.waitFor((e) => e.kind === "presence" && e.from.startsWith(`${BOT}/`));
    assertEquals(await agent.stop(), 0);
  }
  await alice.send(BOT, "while you were away");
  const agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: "[keepalive]\nping_interval_secs = 5\nping_timeout_secs = 5",
  });
  try {
    const reply = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
    assertEquals(reply.body, "echo: while you were away");
    // Long enough for the server's acknowledgement requests, several keepalive pings and
    // any delayed stream error.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    await alice.send(BOT, "still with me?");
    const later = await alice.nextMessage({ from: BOT, withBody: true });
    assertEquals(later.body, "echo: still with me?");
    const lines = agent.lines.events;
    const trouble = lines.filter((line) =>
      /Disconnected|Stream error|Retrying|WARN|ERROR/.test(line)
    );
    assertEquals(trouble, [], "no disconnection, stream error or warning in 30 s");
    assertEquals(lines.filter((line) => /Online as/.test(line)).length, 1);
    assertTrue(lines.some((line) => /Stream management on, resumable/.test(line)));
    assertEquals(
      repliesFrom(alice.events, BOT).filter((b) => b === "echo: while you were away").length,
      1,
    );
  } finally {
    await agent.stop();
  }
});

Deno.test("a cut connection is resumed: 200 messages answered once each, in order", async () => {
  // The human floods: Debian's 10 kb/s limit would only slow the test down.
  await using prosody = await startProsody({ disabledModules: ["limits"] });
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using proxy = await startTcpProxy({ port: prosody.c2sPort });
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url, serverPort: proxy.port });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const count = 200;
  for (let i = 1; i <= count; i++) {
    await alice.send(BOT, `message ${i}`);
    if (i === 40) proxy.cut();
    if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await alice.waitFor(
    (e) => e.kind === "message" && (e as HumanMessage).body === `echo: message ${count}`,
    60_000,
  );
  // Anything repeated would arrive right after.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const replies = repliesFrom(alice.events, BOT);
  const expected = Array.from({ length: count }, (_, i) => `echo: message ${i + 1}`);
  assertEquals(replies, expected);
  const lines = agent.lines.events;
  assertTrue(lines.some((line) => /Disconnected .*to resume the session/.test(line)), "cut seen");
  assertTrue(lines.some((line) => /Resumed the session as bot@localhost\//.test(line)), "resumed");
  assertEquals(lines.filter((line) => /Online as/.test(line)).length, 1, "no new login");
  assertTrue(proxy.accepted >= 2, "the agent came back through the proxy");
});

Deno.test("a stream error is logged at warn with its condition and text", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  // Another client binding the agent's resource replaces its session (RFC 6120 §7.7.2.2).
  await using _twin = await connectHuman(prosody, {
    user: "bot",
    password: "botpass",
    resource: "fluux-agent",
  });
  const line = await agent.waitForLog(/Stream error/);
  assertTrue(/WARN .*Stream error from the server: conflict \(.+\)/.test(line), line);
});
