import assert from "node:assert/strict";
import { ConfigError } from "./config_error.ts";
import { redactConfig } from "./redact_config.ts";
import { fixtureOptions, loadToml, rejection } from "./_testing.ts";
import { loadConfig } from "./load_config.ts";
import example from "../../config/agent.example.toml" with { type: "text" };

const SERVER = `
[server]
host = "localhost"
jid = "bot@localhost"
password = "pw"
`;

const TIERED = `${SERVER}
[llm]
default = "anthropic:claude-sonnet-4-5"
fallback = ["ollama:llama3.1:8b"]

[llm.tiers]
heavy = "anthropic:claude-opus-4-1"
standard = "anthropic:claude-sonnet-4-5"
light = "ollama:llama3.1:8b"
vision = "openai:gpt-4.1-mini"

[llm.providers.anthropic]
api_key = "\${ANTHROPIC_API_KEY}"
host = "https://anthropic-proxy.example"

[llm.providers.openai]
host = "http://127.0.0.1:8000/v1"
`;

/** The issues of a config that must not load, as "key: message" lines. */
async function problems(toml: string, env: Record<string, string> = {}): Promise<string[]> {
  const error = await rejection(loadToml(toml, { env }));
  assert.ok(error instanceof ConfigError, String(error));
  return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
}

Deno.test("[llm] reads default, fallback, tiers and one table per provider", async () => {
  const { config, secrets } = await loadToml(TIERED, { env: { ANTHROPIC_API_KEY: "sk-ant-1" } });
  const { llm } = config;
  assert.equal(llm.default, "anthropic:claude-sonnet-4-5");
  assert.deepEqual(llm.fallback, ["ollama:llama3.1:8b"]);
  assert.deepEqual(llm.tiers, {
    heavy: "anthropic:claude-opus-4-1",
    standard: "anthropic:claude-sonnet-4-5",
    light: "ollama:llama3.1:8b",
    vision: "openai:gpt-4.1-mini",
  });
  assert.deepEqual(llm.providers, {
    anthropic: { api_key: "sk-ant-1", host: "https://anthropic-proxy.example" },
    ollama: { host: "http://localhost:11434" },
    openai: { host: "http://127.0.0.1:8000/v1" },
  });
  // What single-model readers see: the default model and its provider's settings.
  assert.deepEqual([llm.provider, llm.model, llm.api_key, llm.host], [
    "anthropic",
    "claude-sonnet-4-5",
    "sk-ant-1",
    "https://anthropic-proxy.example",
  ]);
  assert.ok(secrets.includes("sk-ant-1"));
});

Deno.test("[llm] provider and model are the default model, with fallback and tiers beside them", async () => {
  const { config } = await loadToml(`${SERVER}
[llm]
provider = "ollama"
model = "llama3.1:8b"
host = "http://gpu.lan:11434"
fallback = ["openai:local-model"]
[llm.tiers]
light = "ollama:qwen2.5:0.5b"
[llm.providers.openai]
host = "http://127.0.0.1:8080/v1"
api_key = "local-key"
`);
  assert.equal(config.llm.default, "ollama:llama3.1:8b");
  assert.deepEqual(config.llm.providers, {
    ollama: { host: "http://gpu.lan:11434" },
    openai: { api_key: "local-key", host: "http://127.0.0.1:8080/v1" },
  });
});

Deno.test("[llm] a standard tier alone is the default model", async () => {
  const { config } = await loadToml(`${SERVER}
[llm.tiers]
standard = "ollama:llama3"
`);
  assert.deepEqual([config.llm.default, config.llm.provider, config.llm.model], [
    "ollama:llama3",
    "ollama",
    "llama3",
  ]);
});

Deno.test("[llm] refuses the default model named in both forms", async () => {
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
default = "ollama:llama3"
provider = "ollama"
model = "llama3"
`),
    [
      "llm.default: conflicts with llm.provider and llm.model: name the default model once, " +
      'either as default = "provider:model" or as provider + model',
    ],
  );
});

Deno.test("[llm] refuses api_key or host without provider, and a key set twice", async () => {
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
default = "ollama:llama3"
host = "http://gpu.lan:11434"
`),
    [
      "llm.host: belongs to llm.provider, which is not set: write it in [llm.providers.<name>]",
    ],
  );
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
provider = "anthropic"
model = "claude-sonnet-4-5"
api_key = "k1"
[llm.providers.anthropic]
api_key = "k2"
`),
    [
      'llm.providers.anthropic.api_key: conflicts with llm.api_key: set the api_key of "anthropic" once',
    ],
  );
});

Deno.test("[llm] refuses a standard tier that differs from the default model", async () => {
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
default = "ollama:llama3"
[llm.tiers]
standard = "ollama:mistral"
`),
    [
      'llm.tiers.standard: differs from the default model ("ollama:llama3"): the standard tier ' +
      "is the default model, so name it once or give both the same model",
    ],
  );
});

Deno.test("[llm] says what is missing when no model is named", async () => {
  assert.deepEqual(await problems(`${SERVER}\n[llm]\nfallback = ["ollama:llama3"]\n`), [
    'llm.default: missing: the model to use, like default = "anthropic:claude-sonnet-4-5" ' +
    "(or provider + model)",
  ]);
  assert.deepEqual(await problems(`${SERVER}\n[llm]\nprovider = "ollama"\n`), [
    "llm.model: missing, expected a non-empty string",
  ]);
});

Deno.test("[llm] refuses a model id without a provider, or with an unknown one", async () => {
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
default = "claude-sonnet-4-5"
fallback = ["gemini:pro"]
`),
    [
      'llm.default: expected a model id "provider:model", like "anthropic:claude-sonnet-4-5", ' +
      'found "claude-sonnet-4-5"',
      'llm.fallback[0]: expected one of "anthropic", "ollama", "openai" before the colon of ' +
      '"provider:model", found "gemini:pro"',
    ],
  );
});

Deno.test("[llm] requires the Anthropic key, and OpenAI's on OpenAI's own host", async () => {
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
default = "anthropic:claude-sonnet-4-5"
fallback = ["openai:gpt-4.1-mini"]
`),
    [
      'llm.providers.anthropic.api_key: missing: required for "anthropic" ' +
      '(api_key = "${ANTHROPIC_API_KEY}")',
      'llm.providers.openai.api_key: missing: required for "openai" at ' +
      'https://api.openai.com/v1 (api_key = "${OPENAI_API_KEY}")',
    ],
  );
  assert.deepEqual(await problems(`${SERVER}\n[llm]\nprovider = "anthropic"\nmodel = "m"\n`), [
    'llm.api_key: missing: required when provider is "anthropic" (api_key = "${ANTHROPIC_API_KEY}")',
  ]);
});

Deno.test("[llm] suggests the tier or provider meant by a misspelt key", async () => {
  assert.deepEqual(
    await problems(`${SERVER}
[llm]
default = "ollama:llama3"
[llm.tiers]
vison = "ollama:llava"
[llm.providers.olama]
host = "http://localhost:11434"
`),
    [
      'llm.tiers.vison: unknown key; did you mean "vision"?',
      'llm.providers.olama: unknown key; did you mean "ollama"?',
    ],
  );
});

Deno.test("redactConfig() hides every provider's API key", async () => {
  const { config } = await loadToml(
    TIERED.replace(
      'host = "http://127.0.0.1:8000/v1"',
      'host = "http://127.0.0.1:8000/v1"\napi_key = "sk-openai-2"',
    ),
    { env: { ANTHROPIC_API_KEY: "sk-ant-1" } },
  );
  const redacted = JSON.stringify(redactConfig(config));
  assert.ok(!redacted.includes("sk-ant-1") && !redacted.includes("sk-openai-2"), redacted);
  assert.equal(redactConfig(config).llm.providers.openai?.api_key, "********");
});

Deno.test("the example config's commented [llm.tiers] and [llm.providers.*] load as written", async () => {
  const start = example.indexOf("[llm]\n");
  const end = example.indexOf("[agent]\n");
  // Uncomment the tables and their keys (not the indented alternative form of [llm]).
  const llm = example.slice(start, end).replace(
    /^# (\[llm\.[a-z.]+\](?: +#[^\n]*)?|[a-z_]+ = [^\n]*)$/gm,
    "$1",
  );
  const { config } = await loadToml(example.slice(0, start) + llm + example.slice(end), {
    env: {
      BOT_PASSWORD: "pw",
      ANTHROPIC_API_KEY: "sk-ant",
      OLLAMA_API_KEY: "ol",
      OPENAI_API_KEY: "sk-oa",
    },
  });
  assert.deepEqual(Object.keys(config.llm.tiers), ["heavy", "standard", "light", "vision"]);
  assert.deepEqual(Object.keys(config.llm.providers), ["anthropic", "ollama", "openai"]);
  assert.equal(config.llm.providers.openai?.host, "https://api.openai.com/v1");
  assert.deepEqual(Object.keys(config.llm.agents), ["researcher", "summarizer"]);
  assert.deepEqual(config.llm.agents.summarizer?.skills, []);
});

Deno.test("redactConfig() shows a provider key left unset by --no-secrets as unset everywhere", async () => {
  const { config } = await loadConfig("config/agent.toml", {
    ...fixtureOptions({ files: { "/srv/agent/config/agent.toml": TIERED } }),
    allowUnsetSecrets: true,
  });
  const redacted = redactConfig(config);
  assert.equal(redacted.llm.providers.anthropic?.api_key, "(unset)");
  assert.equal(redacted.llm.api_key, "(unset)");
});
