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
