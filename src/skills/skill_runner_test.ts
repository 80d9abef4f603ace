import assert from "node:assert/strict";
import type { AuditEntry } from "./audit_log.ts";
import { testSkill } from "./_testing.ts";
import { SkillRegistry } from "./skill_registry.ts";
import { SkillRunner } from "./skill_runner.ts";
import type { SkillFile } from "./skill_file.ts";
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

/** A trusted worker skill whose `run` returns `output` (a JavaScript expression). */
async function fileSkill(output: string) {
  const dataDir = await Deno.makeTempDir();
  const folder = `${dataDir}/code/maker`;
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeTextFile(`${folder}/mod.ts`, `export const run = () => (${output});\n`);
  const registry = await SkillRegistry.create(
    [{
      ...testSkill("maker", { isolation: "worker", trusted: true }),
      module: new URL(`file://${folder}/mod.ts`),
      folder,
    }],
    { state: memorySkillState(), credentials: { env: () => undefined } },
  );
  const audit: AuditEntry[] = [];
  const runner = new SkillRunner(registry, {
    dataDir,
    audit: { record: (entry) => Promise.resolve(void audit.push(entry)) },
  });
  return { runner, audit, cleanup: () => Deno.remove(dataDir, { recursive: true }) };
}

const CALL = { id: "f1", name: "maker", input: { text: "x" } };
const CSV = "new Uint8Array([97, 44, 98, 10])";

Deno.test("SkillRunner.call() sends a file a skill returns, and tells the LLM where it went", async () => {
  const { runner, audit, cleanup } = await fileSkill(
    `{ content: "Here it is", file: { name: "t.csv", bytes: ${CSV}, media_type: "text/csv" } }`,
  );
  try {
    const sent: SkillFile[] = [];
    const result = await runner.call(CALL, {
      conversation: "alice@example.org",
      sendFile: (file) => Promise.resolve(void sent.push(file)).then(() => "https://up/t.csv"),
    });
    assert.deepEqual(sent, [{
      name: "t.csv",
      bytes: new Uint8Array([97, 44, 98, 10]),
      mediaType: "text/csv",
    }]);
    assert.equal(result.is_error, false);
    assert.equal(
      result.content,
      'Skill "maker" sent the file "t.csv" (4 bytes) to the person: https://up/t.csv\n\nHere it is',
    );
    assert.equal(audit[0]?.outcome, "ok");
    assert.equal(audit[0]?.detail, "file sent: https://up/t.csv");
  } finally {
    await cleanup();
  }
});

Deno.test("SkillRunner.call() makes a returned file an error when it cannot be sent", async () => {
  const { runner, cleanup } = await fileSkill(`{ file: { name: "t.csv", bytes: ${CSV} } }`);
  try {
    const nowhere = await runner.call(CALL, { conversation: "c" });
    assert.equal(nowhere.is_error, true);
    assert.equal(
      nowhere.content,
      'Skill "maker" returned a file, but files cannot be sent here (client mode with an upload ' +
        "service only)",
    );
    const refused = await runner.call(CALL, {
      conversation: "c",
      sendFile: () => Promise.reject(new Error("The file is 4 bytes; the server takes at most 2")),
    });
    assert.equal(refused.is_error, true);
    assert.equal(
      refused.content,
      'Skill "maker" returned a file, which was not sent: The file is 4 bytes; the server takes ' +
        "at most 2",
    );
  } finally {
    await cleanup();
  }
});
