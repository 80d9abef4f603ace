import assert from "node:assert/strict";
import { redactConfig } from "./redact_config.ts";
import { loadToml, MINIMAL_TOML } from "./_testing.ts";

const TOML = `
[server]
host = "localhost"
jid = "bot@localhost"
password = "\${BOT_PASSWORD}"

[llm]
provider = "anthropic"
model = "claude-sonnet-4-5"
api_key = "\${ANTHROPIC_API_KEY}"
host = "https://\${PROXY_TOKEN}@proxy.example.com"
`;
const ENV = { BOT_PASSWORD: "pw-hunter2", ANTHROPIC_API_KEY: "sk-ant-xyz", PROXY_TOKEN: "tok987" };

Deno.test("redactConfig() hides the password, the API key and secret variable values", async () => {
  const loaded = await loadToml(TOML, { env: ENV });
  const redacted = redactConfig(loaded.config, { secrets: loaded.secrets });
  const text = JSON.stringify(redacted);
  for (const secret of Object.values(ENV)) assert.ok(!text.includes(secret), secret);
  assert.equal(redacted.server.password, "********");
  assert.equal(redacted.llm.api_key, "********");
  assert.equal(redacted.llm.host, "https://********@proxy.example.com");
  assert.equal(redacted.server.host, "localhost");
});

Deno.test("redactConfig() shows an absent API key as (unset) and leaves the input intact", async () => {
  const loaded = await loadToml(MINIMAL_TOML);
  const redacted = redactConfig(loaded.config);
  assert.equal(redacted.llm.api_key, "(unset)");
  assert.equal(redacted.server.password, "********");
  assert.equal(loaded.config.server.password, "s3cret-pass");
  assert.equal(loaded.config.llm.api_key, undefined);
});

Deno.test("redactConfig() hides the embedder's API key, even one written in the file", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[memory.search]\nprovider = "openai"\napi_key = "literal-embed-key"\n`,
  );
  const redacted = redactConfig(loaded.config, { secrets: loaded.secrets });
  assert.equal(redacted.memory.search.api_key, "********");
  assert.ok(!JSON.stringify(redacted).includes("literal-embed-key"));
  assert.equal(loaded.config.memory.search.api_key, "literal-embed-key");
});
