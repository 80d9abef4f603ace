import assert from "node:assert/strict";
import { resolveConfigPath } from "./resolve_config_path.ts";

const noEnv = () => undefined;
const withEnv = (name: string) => name === "FLUUX_CONFIG" ? "/etc/fluux/agent.toml" : undefined;

Deno.test("resolveConfigPath() reads --config <path> and --config=<path>", () => {
  assert.equal(resolveConfigPath(["start", "--config", "a.toml"], withEnv), "a.toml");
  assert.equal(resolveConfigPath(["--config=b.toml", "start"], withEnv), "b.toml");
});

Deno.test("resolveConfigPath() falls back to FLUUX_CONFIG, then config/agent.toml", () => {
  assert.equal(resolveConfigPath(["start"], withEnv), "/etc/fluux/agent.toml");
  assert.equal(resolveConfigPath(["start"], noEnv), "config/agent.toml");
});

Deno.test("resolveConfigPath() ignores arguments after --", () => {
  assert.equal(
    resolveConfigPath(["start", "--", "--config", "x.toml"], noEnv),
    "config/agent.toml",
  );
});

Deno.test("resolveConfigPath() throws when --config has no value", () => {
  assert.throws(() => resolveConfigPath(["--config"], noEnv), {
    name: "TypeError",
    message: 'Missing value for "--config": pass --config <path>',
  });
  assert.throws(() => resolveConfigPath(["--config", "--verbose"], noEnv), TypeError);
});
