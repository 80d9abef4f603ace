import assert from "node:assert/strict";
import { loadSkillManifest, SkillManifestError } from "./manifest.ts";

const VALID = `
name = "weather"
description = "Current weather for a city"
tier = "fast"

[parameters]
type = "object"
required = ["city"]
[parameters.properties.city]
type = "string"
maxLength = 100

[capabilities]
network = ["api.weather.example:443"]
credentials = ["weather-api-key"]
read = ["cache"]
timeout_secs = 10
`;

function issuesOf(toml: string): string[] {
  try {
    loadSkillManifest(toml, "weather/skill.toml");
  } catch (error) {
    assert(error instanceof SkillManifestError);
    return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
  }
  assert.fail("The manifest was accepted");
}

Deno.test("loadSkillManifest() reads a manifest and fills the defaults", () => {
  const manifest = loadSkillManifest(VALID, "weather/skill.toml");
  assert.equal(manifest.name, "weather");
  assert.equal(manifest.isolation, "worker");
  assert.equal(manifest.tier, "fast");
  assert.deepEqual(manifest.capabilities, {
    network: ["api.weather.example:443"],
    credentials: ["weather-api-key"],
    read: ["cache"],
    write: [],
    env: [],
    timeout_secs: 10,
  });
});

Deno.test("loadSkillManifest() lists every problem with its key", () => {
  const issues = issuesOf(`
name = "Weather Tool"
description = ""
colour = "blue"
[parameters]
type = "object"
[parameters.properties.city]
type = "string"
pattern = "^[a-z]+$"
[capabilities]
network = ["https://api.example.com"]
read = ["../../etc/passwd"]
timeout_secs = 0
`);
  assert.deepEqual(issues.map((issue) => issue.split(":")[0]).sort(), [
    "capabilities.network.0",
    "capabilities.read.0",
    "capabilities.timeout_secs",
    "colour",
    "description",
    "name",
  ]);
  assert(issues.includes("colour: unknown key"));
  assert(issues.includes('capabilities.read.0: expected a path without ".."'));
});

Deno.test("loadSkillManifest() refuses JSON Schema keywords it would not check", () => {
  const issues = issuesOf(VALID.replace("maxLength = 100", 'pattern = "^[A-Z]"'));
  assert.deepEqual(issues, ['parameters.properties.city: unsupported keyword "pattern"']);
});

Deno.test("loadSkillManifest() refuses any-host network unless the skill is process-isolated", () => {
  const toml = VALID.replace('network = ["api.weather.example:443"]', 'network = ["*"]');
  assert.match(
    issuesOf(toml).join("\n"),
    /capabilities.network: "\*" \(any host\) needs isolation = "process"/,
  );
  const isolated = loadSkillManifest(toml.replace('tier = "fast"', 'isolation = "process"'), "x");
  assert.deepEqual(isolated.capabilities.network, ["*"]);
});

Deno.test("loadSkillManifest() reports a TOML syntax error with its line", () => {
  assert.throws(
    () => loadSkillManifest('name = "x\n', "broken/skill.toml"),
    /Invalid skill manifest "broken\/skill.toml": TOML syntax error at line 1/,
  );
});
