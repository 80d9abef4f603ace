/**
 * Attack: a skill allocates without bound ("Fatal JavaScript out of memory" took the whole
 * agent down when it ran as a Web Worker in the agent's heap), or crashes its process.
 * The hostile skill asks for a worker; the operator has not marked it trusted. Secure
 * outcome: it runs in its own process under the heap limit, the LLM gets a failed tool
 * call saying it ran out of memory, and the agent stays up and answers.
 */
import { join } from "node:path";
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";
import { callNamedTool, writeSkills } from "../support/skills_dir.ts";

Deno.test("security: a skill that allocates without bound or dies does not take the agent down", async () => {
  const root = await Deno.makeTempDir({ prefix: "security-memory-" });
  try {
    await writeSkills(root, {
      hog: {
        manifest: 'isolation = "worker"',
        capabilities: "timeout_secs = 120",
        code: "export function run(): string {\n  const kept: number[][] = [];\n" +
          "  for (;;) kept.push(new Array(100_000).fill(Math.random()));\n}\n",
      },
      // An error nothing catches ends the skill's process.
      crasher: {
        code: "export const run = () => {\n" +
          '  setTimeout(() => { throw new Error("crashed on purpose"); }, 0);\n' +
          "  return new Promise(() => {});\n};\n",
      },
    });
    await using prosody = await startProsody();
    await prosody.register("bot", "botpass");
    await prosody.register("alice", "alicepass");
    await using llm = await startFakeLlm({ handler: callNamedTool });
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      extraToml: `
[skills]
dir = "${root}"
memory_limit_mb = 64
`,
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    const ask = async (text: string) => {
      await alice.send("bot@localhost", text);
      return (await alice.nextMessage({ from: "bot@localhost", withBody: true, timeoutMs: 60_000 }))
        .body ?? "";
    };

    assertIncludes(await ask("/skill info hog"), "Isolation: process");
    assertEquals(
      await ask("call hog"),
      'done: Skill "hog" failed: out of memory (its limit is 64 MB); it was stopped',
    );
    const crash = await ask("call crasher");
    assertIncludes(crash, 'done: Skill "crasher" failed');
    assertIncludes(crash, "Exited with code 1: error: Uncaught Error: crashed on purpose");
    assertEquals(await ask("still there?"), "echo: still there?");

    const exited = await Promise.race([agent.exited, Promise.resolve("running")]);
    assertEquals(exited, "running", "the agent process is alive");
    assertTrue(
      !agent.lines.events.some((line) =>
        /Fatal JavaScript|out of memory/i.test(line) && !/hog/.test(line)
      ),
      "the agent itself never ran out of memory",
    );
    const audit = await Deno.readTextFile(join(agent.dataDir, "audit", "tools.jsonl"));
    assertIncludes(audit, '"skill":"hog"');
    assertIncludes(audit, '"outcome":"memory"');
    const history = await Deno.readTextFile(
      join(agent.dataDir, "alice@localhost", "history.jsonl"),
    );
    for (const said of ["call hog", "call crasher", "still there?"]) {
      assertIncludes(history, JSON.stringify(said), "nothing lost");
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
