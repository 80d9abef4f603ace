import assert from "node:assert/strict";
import { ConfigError } from "./config_error.ts";
import { loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";

async function problems(toml: string): Promise<string[]> {
  const error = await rejection(loadToml(toml));
  assert.ok(error instanceof ConfigError, String(error));
  return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
}

Deno.test("loadConfig() fills in the sub-agent and quota defaults: off and unlimited", async () => {
  const { config } = await loadToml(MINIMAL_TOML);
  assert.equal(config.agent.allow_subagents, false);
  assert.equal(config.agent.max_concurrent_subagents, 3);
  assert.equal(config.agent.subagent_timeout, 120);
  assert.deepEqual(config.llm.agents, {});
  assert.deepEqual(config.quota, { daily_tokens: 0, monthly_tokens: 0, cost: {} });
});

Deno.test("loadConfig() reads [llm.agents.<name>], and an agent's model's provider joins the providers", async () => {
  const { config } = await loadToml(`${MINIMAL_TOML}
[agent]
allow_subagents = true

[llm.agents.researcher]
model = "openai:gpt-4.1-mini"
persona = "researcher"
skills = ["web_search", "url_fetch"]
max_tokens = 4096

[llm.agents.summarizer]
model = "light"
instructions = "Summarise concisely in 3 bullet points."
skills = []

[llm.providers.openai]
host = "http://127.0.0.1:8000/v1"

[quota]
daily_tokens = 100000
[quota.cost]
"claude-sonnet-4-5" = { input = 3.0, output = 15.0, cache_read = 0.3, cache_write = 3.75 }
`);
  assert.deepEqual(config.llm.agents.researcher, {
    model: "openai:gpt-4.1-mini",
    persona: "researcher",
    skills: ["web_search", "url_fetch"],
    max_tokens: 4096,
  });
  assert.equal(config.llm.agents.summarizer?.model, "light");
  assert.deepEqual(config.llm.agents.summarizer?.skills, []);
  assert.equal(config.llm.providers.openai?.host, "http://127.0.0.1:8000/v1");
  assert.equal(config.quota.daily_tokens, 100000);
  assert.deepEqual(config.quota.cost["claude-sonnet-4-5"], {
    input: 3,
    output: 15,
    cache_read: 0.3,
    cache_write: 3.75,
  });
});

Deno.test("loadConfig() refuses a sub-agent given spawn_agent, a bad model, a typo and a negative price", async () => {
  const found = await problems(`${MINIMAL_TOML}
[llm.agents.helper]
model = "gpt-4"
skills = ["spawn_agent"]
modle = "x"

[llm.agents."Bad Name"]
skills = []

[quota]
daily_tokens = -1
[quota.cost]
"m" = { input = -3.0, output = 1.0 }
`);
  const text = found.join("\n");
  assert.match(text, /llm\.agents\.helper\.model: expected a model id "provider:model" or a tier/);
  assert.match(text, /llm\.agents\.helper\.skills\[0\]: expected tools other than spawn_agent/);
  assert.match(text, /llm\.agents\.helper\.modle: unknown key; did you mean "model"\?/);
  assert.match(text, /llm\.agents.*expected a name of lower-case letters/);
  assert.match(text, /quota\.daily_tokens: expected an integer of at least 0, found -1/);
  assert.match(text, /quota\.cost\.m\.input: expected a price in USD per million tokens/);
});
