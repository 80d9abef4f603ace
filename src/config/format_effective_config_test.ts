import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { formatEffectiveConfig } from "./format_effective_config.ts";
import { loadToml } from "./_testing.ts";

const TOML = `
[server]
host = "localhost"
jid = "bot@localhost"
password = "\${BOT_PASSWORD}"

[llm]
provider = "anthropic"
model = "claude-sonnet-4-5"
api_key = "\${ANTHROPIC_API_KEY}"
`;

Deno.test("formatEffectiveConfig() prints every key with defaults and no secret", async () => {
  const loaded = await loadToml(TOML, {
    env: { BOT_PASSWORD: "pw-hunter2", ANTHROPIC_API_KEY: "sk-ant-xyz" },
  });
  const text = formatEffectiveConfig(loaded);
  assert.ok(!text.includes("pw-hunter2") && !text.includes("sk-ant-xyz"));
  assert.match(text, /^# Effective config from \/srv\/agent\/config\/agent\.toml$/m);
  assert.match(text, /^# Environment variables used: ANTHROPIC_API_KEY, BOT_PASSWORD$/m);
  const reparsed = parse(text) as Record<string, Record<string, unknown>>;
  assert.equal(reparsed.server?.password, "********");
  assert.equal(reparsed.server?.port, 5222);
  assert.equal(reparsed.keepalive?.ping_interval_secs, 60);
  assert.deepEqual(reparsed.agent?.allowed_domains, ["localhost"]);
});
