import assert from "node:assert/strict";
import type { CommandContext } from "../commands/mod.ts";
import { testSkill } from "./_testing.ts";
import { skillCommands } from "./skill_commands.ts";
import { SkillRegistry } from "./skill_registry.ts";
import { memorySkillState } from "./skill_state_file.ts";

async function setup() {
  const registry = await SkillRegistry.create([
    testSkill("echo", { capabilities: 'network = ["api.example.com:443"]' }),
    testSkill("keyed", { capabilities: 'credentials = ["keyed-token"]' }),
  ], { state: memorySkillState(), credentials: { env: () => undefined } });
  const commands = skillCommands(registry);
  // One-to-one: the conversation is the sender; the agent's policy gave admin@ the right.
  const run = (name: string, jid: string, args = "") =>
    commands.find((command) => command.name === name)!.run(
      {
        jid,
        sender: jid,
        args,
        rights: { dev: false, erase: true, admin: jid === "admin@example.org" },
      } as CommandContext,
    );
  return { registry, run };
}

Deno.test("/skills lists each skill with its status and capabilities", async () => {
  const { run } = await setup();
  assert.equal(
    await run("skills", "user@example.org"),
    [
      "Skills (1 of 2 enabled):",
      "- echo: enabled; network: api.example.com:443; timeout: 30 s; process-isolated",
      '- keyed: unavailable (missing credential "keyed-token": set KEYED_TOKEN (environment or ' +
      ".env), or write it to ~/.fluux-agent/credentials/keyed/keyed-token); network: none; " +
      "credentials: keyed-token; timeout: 30 s; process-isolated",
    ].join("\n"),
  );
});

Deno.test("/skill disable is for admins only and takes the tool away", async () => {
  const { registry, run } = await setup();
  assert.equal(
    await run("skill", "user@example.org", "disable echo"),
    "Only an admin can disable skills",
  );
  assert.equal(registry.get("echo")?.status, "enabled");
  assert.equal(
    await run("skill", "admin@example.org", "disable echo"),
    'Skill "echo" disabled (kept across restarts)',
  );
  assert.deepEqual(registry.toolDefinitions(), []);
  assert.match(
    await run("skill", "user@example.org", "info echo"),
    /^echo \(user skill\): disabled/,
  );
  assert.match(await run("skill", "admin@example.org", "enable keyed"), /cannot be enabled/);
  assert.match(await run("skill", "admin@example.org", "frobnicate echo"), /^Usage: /);
});
