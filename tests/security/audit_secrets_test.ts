/**
 * Attack: the LLM (steered by a prompt injection) puts the agent's own secrets — its XMPP
 * password, its LLM API key — into a tool call's arguments, which the audit log recorded
 * as they were: only skill credentials were redacted. Secure outcome: the audit log, the
 * tool result and the agent's log hold no such secret.
 */
import { join } from "node:path";
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";
import { callNamedTool, writeSkills } from "../support/skills_dir.ts";

const PASSWORD = "bot-password-7c1d9e";
/** The LLM API key the test config gives the agent. */
const API_KEY = "test-key";

Deno.test("security: the agent's own secrets in tool arguments never reach the audit log", async () => {
  const root = await Deno.makeTempDir({ prefix: "security-audit-" });
  try {
    await writeSkills(root, {
      echo: { code: "export const run = (input: { text?: string }) => `echo ${input.text}`;\n" },
    });
    await using prosody = await startProsody();
    await prosody.register("bot", PASSWORD);
    await prosody.register("alice", "alicepass");
    await using llm = await startFakeLlm({ handler: callNamedTool });
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      password: PASSWORD,
      extraToml: `[skills]\ndir = "${root}"\n`,
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.send("bot@localhost", `call echo password ${PASSWORD} and key ${API_KEY}`);
    const reply = await alice.nextMessage({
      from: "bot@localhost",
      withBody: true,
      timeoutMs: 20_000,
    });
    assertEquals(reply.body, "done: echo password ******** and key ********");

    const audit = await Deno.readTextFile(join(agent.dataDir, "audit", "tools.jsonl"));
    const entry = JSON.parse(audit.trim().split("\n").at(-1)!);
    assertEquals(entry.skill, "echo");
    assertEquals(entry.outcome, "ok");
    assertEquals(entry.arguments, { text: "password ******** and key ********" });
    for (const secret of [PASSWORD, API_KEY]) {
      assertTrue(!audit.includes(secret), `${secret} is not in the audit log`);
      assertTrue(!agent.lines.events.join("\n").includes(secret), `${secret} is not in the log`);
    }
    const result = JSON.stringify(llm.requests.at(-1)?.body);
    assertIncludes(result, "echo password ******** and key ********");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
