import assert from "node:assert/strict";
import type { AuditEntry } from "./audit_log.ts";
import { testSkill } from "./_testing.ts";
import { SkillRegistry } from "./skill_registry.ts";
import { SkillRunner } from "./skill_runner.ts";
import { memorySkillState } from "./skill_state_file.ts";

async function setup() {
  const dataDir = await Deno.makeTempDir();
  const registry = await SkillRegistry.create([testSkill("echo")], {
    state: memorySkillState(),
    credentials: { env: () => undefined },
  });
  const audit: AuditEntry[] = [];
  const runner = new SkillRunner(registry, {
    dataDir,
    audit: { record: (entry) => Promise.resolve(void audit.push(entry)) },
  });
  return { runner, audit, cleanup: () => Deno.remove(dataDir, { recursive: true }) };
}

Deno.test("SkillRunner.call() answers an unknown tool with an error naming the tools there are", async () => {
  const { runner, audit, cleanup } = await setup();
  try {
    const result = await runner.call({ id: "t1", name: "rm_rf", input: {} }, { conversation: "c" });
    assert.deepEqual(result, {
      type: "tool_result",
      tool_use_id: "t1",
      content: 'Unknown tool "rm_rf". Available tools: echo',
      is_error: true,
    });
    assert.equal(audit[0]?.outcome, "unknown_tool");
  } finally {
    await cleanup();
  }
});

Deno.test("SkillRunner.call() checks arguments before starting the skill, and redacts secrets in the audit", async () => {
  const { runner, audit, cleanup } = await setup();
  try {
    // The module does not exist: had the skill started, the error would say so instead.
    const result = await runner.call(
      { id: "t2", name: "echo", input: { text: 5, api_key: "sk-live-123" } },
      { conversation: "alice@example.org" },
    );
    assert.equal(result.is_error, true);
    assert.equal(
      result.content,
      'Invalid arguments for "echo": input.text: expected a string, found 5',
    );
    assert.equal(audit[0]?.outcome, "invalid_arguments");
    assert.equal(audit[0]?.conversation, "alice@example.org");
    assert.deepEqual(audit[0]?.arguments, { text: 5, api_key: "********" });
  } finally {
    await cleanup();
  }
});
