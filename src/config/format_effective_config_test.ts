import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { formatEffectiveConfig } from "./format_effective_config.ts";
import { loadConfig } from "./load_config.ts";
import { fixtureOptions, loadToml } from "./_testing.ts";

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

Deno.test("formatEffectiveConfig() names the working directory, the data directory and the .env files", async () => {
  const text = formatEffectiveConfig(
    await loadToml(TOML, { env: { BOT_PASSWORD: "pw", ANTHROPIC_API_KEY: "k" } }),
  );
  assert.match(text, /^# Working directory: \/srv\/agent$/m);
  assert.match(text, /^# Data directory: \/srv\/agent\/data\/memory$/m);
  assert.match(text, /^# \.env files: \/srv\/agent\/\.env, \/home\/bot\/\.fluux-agent\/\.env$/m);
});

Deno.test("formatEffectiveConfig() shows secrets left unset as (unset) and lists them", async () => {
  const loaded = await loadConfig("config/agent.toml", {
    ...fixtureOptions({
      files: { "/srv/agent/config/agent.toml": TOML },
      env: { ANTHROPIC_API_KEY: "sk-ant-xyz" },
    }),
    allowUnsetSecrets: true,
  });
  const text = formatEffectiveConfig(loaded);
  assert.match(
    text,
    /^# Secrets not set \(checked without them\): BOT_PASSWORD \(server\.password\)$/m,
  );
  const reparsed = parse(text) as Record<string, Record<string, unknown>>;
  assert.equal(reparsed.server?.password, "(unset)");
  assert.equal(reparsed.llm?.api_key, "********");
  assert.ok(!text.includes("sk-ant-xyz"));
});

Deno.test("formatEffectiveConfig() hides credentials written into a URL and room passwords", async () => {
  const loaded = await loadToml(
    TOML.replace(
      'api_key = "${ANTHROPIC_API_KEY}"',
      'api_key = "${ANTHROPIC_API_KEY}"\nhost = "https://proxy-user:pr0xy%2Fsecret@llm-proxy.example/"',
    ) + '\n[[rooms]]\njid = "team@conference.localhost"\npassword = "room-pass-123"\n',
    { env: { BOT_PASSWORD: "pw-hunter2", ANTHROPIC_API_KEY: "sk-ant-xyz" } },
  );
  const text = formatEffectiveConfig(loaded);
  assert.ok(!text.includes("pr0xy%2Fsecret"), text);
  assert.ok(!text.includes("room-pass-123"), text);
  assert.ok(loaded.secrets.includes("pr0xy/secret"), "the decoded form is scrubbed from logs too");
  assert.match(text, /llm-proxy\.example/);
});
