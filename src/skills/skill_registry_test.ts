import assert from "node:assert/strict";
import { join } from "node:path";
import { testSkill } from "./_testing.ts";
import { SkillRegistry } from "./skill_registry.ts";
import { memorySkillState, skillStateFile } from "./skill_state_file.ts";

const noCredentials = { env: () => undefined };

Deno.test("SkillRegistry.toolDefinitions() lists the enabled skills sorted by name", async () => {
  const registry = await SkillRegistry.create(
    [testSkill("zeta"), testSkill("alpha"), testSkill("mid")],
    { state: memorySkillState(["mid"]), credentials: noCredentials },
  );
  assert.deepEqual(registry.toolDefinitions().map((tool) => tool.name), ["alpha", "zeta"]);
  assert.deepEqual(registry.toolDefinitions()[0], {
    name: "alpha",
    description: "The alpha skill",
    input_schema: {
      type: "object",
      required: ["text"],
      properties: { text: { type: "string" } },
    },
  });
});

Deno.test("SkillRegistry.disable() survives a restart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "skills", "state.json");
    const sources = [testSkill("echo"), testSkill("other")];
    const first = await SkillRegistry.create(sources, {
      state: skillStateFile(path),
      credentials: noCredentials,
    });
    await first.disable("echo");
    const second = await SkillRegistry.create(sources, {
      state: skillStateFile(path),
      credentials: noCredentials,
    });
    assert.equal(second.get("echo")?.status, "disabled");
    assert.deepEqual(second.toolDefinitions().map((tool) => tool.name), ["other"]);
    await second.enable("echo");
    const third = await SkillRegistry.create(sources, {
      state: skillStateFile(path),
      credentials: noCredentials,
    });
    assert.equal(third.get("echo")?.status, "enabled");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SkillRegistry keeps a skill with a missing credential out and says what to set", async () => {
  const warnings: string[] = [];
  const logger = {
    debug() {},
    info() {},
    warn: (line: string) => void warnings.push(line),
    error() {},
    child() {
      return logger;
    },
  };
  const registry = await SkillRegistry.create(
    [testSkill("maps", { capabilities: 'credentials = ["maps-key"]' })],
    { state: memorySkillState(), credentials: noCredentials, logger },
  );
  assert.equal(registry.get("maps")?.status, "unavailable");
  assert.deepEqual(registry.toolDefinitions(), []);
  assert.match(
    warnings.join("\n"),
    /"maps" is disabled: missing credential "maps-key": set MAPS_KEY/,
  );
  await assert.rejects(registry.enable("maps"), /cannot be enabled: missing credential/);
  await assert.rejects(registry.disable("nope"), /Unknown skill "nope"; known skills: maps/);
});

Deno.test("SkillRegistry gives each skill only its own credentials", async () => {
  const env: Record<string, string> = { A_KEY: "secret-a", B_KEY: "secret-b" };
  const registry = await SkillRegistry.create(
    [
      testSkill("a", { capabilities: 'credentials = ["a-key"]' }),
      testSkill("b", { capabilities: 'credentials = ["b-key"]' }),
    ],
    { state: memorySkillState(), credentials: { env: (name) => env[name] } },
  );
  assert.deepEqual(registry.credentialsFor("a"), { "a-key": "secret-a" });
  assert.deepEqual(registry.secrets().sort(), ["secret-a", "secret-b"]);
});
