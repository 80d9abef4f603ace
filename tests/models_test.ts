/**
 * Models as a user and an operator notice them, end to end (a real Prosody, slixmpp as the
 * human, the agent as a child process, local servers speaking each provider's API): an agent
 * whose default model is an OpenAI-compatible one answers through `/v1/chat/completions`, and
 * when the default provider is down the fallback model answers, `/status` says which, and the
 * failed provider is left alone until its cool-down ends.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml, startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

/** The test agent's config with its `[llm]` section replaced. */
function withLlm(options: Parameters<typeof agentConfigToml>[0], llm: string): string {
  const toml = agentConfigToml(options, "./memory");
  return toml.replace(/\[llm\][\s\S]*?(?=\n\[agent\])/, llm.trim() + "\n");
}

Deno.test("an agent whose default model is openai:test-model answers through Chat Completions", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm({ api_key: "sk-openai-test", models: ["test-model"] });
  const options = { prosody, llmUrl: llm.url };
  await using agent = await startAgent({
    ...options,
    configToml: withLlm(
      options,
      `
[llm]
default = "openai:test-model"
timeout_secs = 10
max_retries = 0

[llm.providers.openai]
host = "${llm.url}/v1"
api_key = "\${OPENAI_API_KEY}"
`,
    ),
    env: { OPENAI_API_KEY: "sk-openai-test" },
  });
  await agent.waitForLog(/LLM openai\/test-model checked: credentials accepted/);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "hello over there");
  assertEquals(
    (await alice.nextMessage({ from: BOT, withBody: true })).body,
    "echo: hello over there",
  );
  const chat = llm.requests.find((r) => r.path === "/v1/chat/completions");
  assertTrue(chat !== undefined, "asked through Chat Completions");
  assertEquals(chat.headers["authorization"], "Bearer sk-openai-test");
  const body = chat.body as { model: string; messages: { role: string; content: unknown }[] };
  assertEquals(body.model, "test-model");
  assertEquals(body.messages.at(-1), { role: "user", content: "hello over there" });

  await alice.send(BOT, "/status");
  const status = await alice.nextMessage({ from: BOT, withBody: true });
  assertIncludes(status.body ?? "", "Last answer from: openai:test-model (standard tier)");
  assertTrue(!agent.lines.events.join("\n").includes("sk-openai-test"), "the key is not logged");
});

Deno.test("the default provider down: the fallback answers, and the failed one waits out its cool-down", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  // The default provider answers every request with 529 overloaded; the fallback is fine.
  await using down = await startFakeLlm();
  down.failNext(529, 1000);
  await using ollama = await startFakeLlm();
  const options = { prosody, llmUrl: down.url };
  await using agent = await startAgent({
    ...options,
    configToml: withLlm(
      options,
      `
[llm]
default = "anthropic:test-model"
fallback = ["ollama:test-model"]
fallback_cooldown_secs = 600
timeout_secs = 10
max_retries = 0

[llm.providers.anthropic]
api_key = "test-key"
host = "${down.url}"

[llm.providers.ollama]
host = "${ollama.url}"
`,
    ),
  });
  // The start-up check met the outage: a warning, and the agent went online.
  await agent.waitForLog(/LLM anthropic\/test-model \(default\) could not be checked \(overloaded/);
  await agent.waitForLog(/LLM ollama\/test-model \(fallback\) checked/);
  const checks = down.request_count;

  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "are you there?");
  assertEquals(
    (await alice.nextMessage({ from: BOT, withBody: true })).body,
    "echo: are you there?",
  );
  assertEquals(down.request_count, checks + 1, "the default was asked first");
  assertEquals(ollama.chat_count, 1);

  await alice.send(BOT, "/status");
  assertIncludes(
    (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "",
    "Last answer from: ollama:test-model (standard tier, in place of anthropic:test-model)",
  );

  // Within the cool-down the failed provider is not asked first: the answer comes at once.
  await alice.send(BOT, "still there?");
  assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: still there?");
  assertEquals(down.request_count, checks + 1, "the failed provider was left alone");
  assertEquals(ollama.chat_count, 2);
  const wire = ollama.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
  const history = wire.messages.filter((m) => m.role !== "system");
  assertEquals(history.map((m) => m.content), [
    "are you there?",
    "echo: are you there?",
    "still there?",
  ]);
});

Deno.test("tiers: an image goes to the vision model; /tier forces a tier until /tier reset", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm({ models: ["test-model", "vision-model", "light-model"] });
  // A 1×1 PNG, served over plain HTTP on loopback (private hosts allowed for the test).
  const png = Uint8Array.from(
    atob(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    ),
    (c) => c.charCodeAt(0),
  );
  await using files = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(png, { headers: { "content-type": "image/png" } }),
  );
  const options = { prosody, llmUrl: llm.url };
  await using _agent = await startAgent({
    ...options,
    configToml: withLlm(
      options,
      `
[llm]
default = "anthropic:test-model"
timeout_secs = 10
max_retries = 0

[llm.tiers]
vision = "anthropic:vision-model"
light = "anthropic:light-model"

[llm.providers.anthropic]
host = "${llm.url}"
api_key = "test-key"
`,
    ).replace("[agent]", '[agent]\ndev_command_jids = ["alice@localhost"]') + `
[attachments]
hosts = ["127.0.0.1"]
allow_private_hosts = true
`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const modelOfLastChat = () => {
    const chat = llm.requests.findLast((r) => r.path === "/v1/messages");
    return (chat?.body as { model?: string } | undefined)?.model;
  };
  const url = `http://127.0.0.1:${files.addr.port}/photo.png`;
  await alice.sendRaw(
    `<message to="${BOT}" type="chat"><body>${url}</body>` +
      `<x xmlns="jabber:x:oob"><url>${url}</url></x></message>`,
  );
  await alice.nextMessage({ from: BOT, withBody: true });
  assertEquals(modelOfLastChat(), "vision-model", "a message with an image");
  await alice.send(BOT, "and plain text?");
  await alice.nextMessage({ from: BOT, withBody: true });
  assertEquals(modelOfLastChat(), "test-model", "a message without one");

  // /tier is a developer command: alice is one in this test.
  await alice.send(BOT, "/tier light");
  const forced = await alice.nextMessage({ from: BOT, withBody: true });
  assertIncludes(forced.body ?? "", "light");
  await alice.send(BOT, "quickly");
  await alice.nextMessage({ from: BOT, withBody: true });
  assertEquals(modelOfLastChat(), "light-model", "forced for this conversation");
  await alice.send(BOT, "/tier reset");
  await alice.nextMessage({ from: BOT, withBody: true });
  await alice.send(BOT, "back to normal");
  await alice.nextMessage({ from: BOT, withBody: true });
  assertEquals(modelOfLastChat(), "test-model");
});
