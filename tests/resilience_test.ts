/**
 * The agent across failures: server restarts, dead links, replies produced while offline,
 * bad credentials, a server without TLS, and hosts outside its permissions.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm, waitForRequests } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

Deno.test("the agent reconnects after the server restarts and answers again", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  await prosody.restart();
  await agent.waitForLog(/Disconnected/);
  await agent.waitForLog(/Online as/, 20_000);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "still there?");
  assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: still there?");
});

Deno.test("a reply produced while the link is down is sent after reconnecting", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  let answer = () => {};
  const disconnected = new Promise<void>((resolve) => answer = resolve);
  await using llm = await startFakeLlm({ handler: () => disconnected.then(() => undefined) });
  // At the latest when the test ends: closing the fake waits for the answers it owes.
  using _answered = { [Symbol.dispose]: () => answer() };
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  {
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.send(BOT, "answer me later");
    await waitForRequests(llm, 1, { path: "/v1/messages" });
  }
  // The LLM answers once the agent is disconnected (it waits 2 s before reconnecting): the
  // reply must wait in the outbox.
  const restarted = prosody.restart();
  await agent.waitForLog(/Disconnected/);
  answer();
  await restarted;
  await agent.waitForLog(/Sending \d+ queued stanza/, 20_000);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const reply = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
  assertEquals(reply.body, "echo: answer me later");
});

Deno.test("keepalive pings detect a dead link and the agent resumes its session", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: "[keepalive]\nping_interval_secs = 1\nping_timeout_secs = 1",
  });
  const pid = Number((await Deno.readTextFile(`${prosody.dir}/prosody.pid`)).trim());
  Deno.kill(pid, "SIGSTOP");
  try {
    await agent.waitForLog(/No answer to keepalive ping/, 10_000);
  } finally {
    Deno.kill(pid, "SIGCONT");
  }
  // The server kept the session (stream management): it is resumed, not opened anew.
  await agent.waitForLog(/Resumed the session/, 20_000);
});

Deno.test("bad credentials stop the agent with a non-zero code and a one-line reason", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm();
  const agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    password: "wrong",
    waitOnline: false,
  });
  const code = await agent.exited;
  await agent.stop();
  assertEquals(code, 1);
  const reason = agent.lines.events.find((line) => line.startsWith("fluux-agent: "));
  assertIncludes(reason ?? "", "Authentication failed");
  assertTrue(!agent.lines.events.join("\n").includes("wrong"), "the password is not logged");
});

Deno.test("a server without STARTTLS is refused unless plaintext is allowed", async () => {
  await using prosody = await startProsody({ tls: false });
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm();
  const refused = await startAgent({ prosody, llmUrl: llm.url, waitOnline: false });
  assertEquals(await refused.exited, 1);
  await refused.stop();
  assertIncludes(refused.lines.events.join("\n"), "allow_plaintext");

  await using allowed = await startAgent({
    prosody,
    llmUrl: llm.url,
    plaintext: true,
  });
  // startAgent() waited for the "Online as" line; it must say the link is plaintext.
  assertTrue(allowed.lines.events.some((line) => /Online as .* \(plaintext\)/.test(line)));
});

Deno.test("the agent's process cannot reach a host outside its permissions", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using declared = await startFakeLlm();
  await using undeclared = await startFakeLlm();
  // The permission flags are derived with LLM_URL pointing at `declared`; the process then
  // starts with LLM_URL pointing at `undeclared`, a host its flags do not grant.
  await using agent = await startAgent({
    prosody,
    llmUrl: "${LLM_URL}",
    env: { LLM_URL: declared.url },
    runEnv: { LLM_URL: undeclared.url },
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "call home");
  const reply = await alice.nextMessage({ from: BOT, withBody: true });
  assertIncludes(reply.body ?? "", "not permitted to reach");
  assertEquals(undeclared.request_count, 0);
  assertEquals(declared.request_count, 0);
  await agent.waitForLog(/permission/i);
});
