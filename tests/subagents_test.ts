/**
 * Sub-agents as a user notices them, end to end (a real Prosody, slixmpp as the human, the
 * agent as a child process, a local server speaking Anthropic's API): the model hands two
 * tasks to `spawn_agent` in one round, both sub-agents work at the same time, and their
 * results reach the answer; each sub-agent sees its task alone, with its own tools and never
 * `spawn_agent`; each run is in the audit log with its tokens, which `/usage` counts.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml, startAgent } from "./support/agent_process.ts";
import { type FakeCall, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";
const RESEARCH = "Find when XMPP was first published";
const SUMMARY = "Summarise RFC 6120 in one line";

/** Resolves once `count` calls to `arrive()` were made: a meeting point, not a clock. */
function meetingPoint(count: number) {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((resolve) => open = resolve);
  return {
    arrive(): Promise<void> {
      if (++arrived >= count) open();
      return all;
    },
  };
}

Deno.test("two spawn_agent calls run at once, each sub-agent sees only its task and no spawn_agent, and both results reach the answer", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  // Each sub-agent's answer waits until both sub-agents have asked the model: run one after
  // the other, the first would wait until its time ran out, and its result would be missing.
  const both = meetingPoint(2);
  const usage = { input_tokens: 100, output_tokens: 10 };
  const subUsage = { input_tokens: 7, output_tokens: 3 };
  const handler = async (call: FakeCall) => {
    if (call.tool_names.includes("spawn_agent")) {
      if (call.last_user_text === "hello") return { text: "hi alice", usage };
      if (!call.last_is_tool_result) {
        return {
          usage,
          tool_calls: [
            { name: "spawn_agent", input: { task: RESEARCH, agent_name: "researcher" } },
            { name: "spawn_agent", input: { task: SUMMARY, agent_name: "summarizer" } },
          ],
        };
      }
      return { text: `Combined: ${call.tool_results.join(" | ")}`, usage };
    }
    await both.arrive();
    if (call.last_user_text === RESEARCH) {
      return { text: "XMPP was published in 1999", usage: subUsage };
    }
    return { text: "RFC 6120 is XMPP Core", usage: subUsage };
  };
  await using llm = await startFakeLlm({ handler });
  const options = { prosody, llmUrl: llm.url };
  const configToml = agentConfigToml(options, "./memory").replace(
    "[agent]",
    "[agent]\nallow_subagents = true\nsubagent_timeout = 20",
  ) + `
[skills.url_fetch]
enabled = true

[llm.agents.researcher]
instructions = "Research carefully and give the date."
skills = ["url_fetch"]

[llm.agents.summarizer]
instructions = "Summarise in one line."
skills = []
max_tokens = 200
`;
  await using agent = await startAgent({ ...options, configToml });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "hello");
  assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "hi alice");

  await alice.send(BOT, "When was XMPP published, and what is RFC 6120?");
  const answer = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 30_000 });
  assertEquals(
    answer.body,
    "Combined: XMPP was published in 1999 | RFC 6120 is XMPP Core",
    "both sub-agents' results, in the order they were asked",
  );

  type Wire = {
    system?: string;
    max_tokens?: number;
    messages: { role: string; content: unknown }[];
    tools?: { name: string }[];
  };
  const chats = llm.requests.filter((r) => r.path === "/v1/messages").map((r) => r.body as Wire);
  const parent = chats.find((body) => body.tools?.some((t) => t.name === "spawn_agent"));
  assertTrue(parent !== undefined, "the agent was offered spawn_agent");
  const spawn = (parent.tools as unknown as { name: string; description: string }[])
    .find((t) => t.name === "spawn_agent");
  assertIncludes(spawn?.description ?? "", "- researcher (tools url_fetch)");
  assertIncludes(spawn?.description ?? "", "- summarizer (no tools): Summarise in one line.");
  const sub = (task: string) => {
    const found = chats.find((body) =>
      body.messages.length === 1 && body.messages[0]?.content === task
    );
    assertTrue(found !== undefined, `a request with the task alone: ${task}`);
    return found;
  };
  const researcher = sub(RESEARCH);
  assertEquals(researcher.messages, [{ role: "user", content: RESEARCH }], "no history");
  assertEquals(
    researcher.tools?.map((t) => t.name),
    ["url_fetch"],
    "its allowlist, no spawn_agent",
  );
  assertIncludes(researcher.system ?? "", "Research carefully and give the date.");
  assertIncludes(researcher.system ?? "", "You are a sub-agent");
  const summarizer = sub(SUMMARY);
  assertEquals(summarizer.tools, undefined, "skills = [] gives no tools");
  assertEquals(summarizer.max_tokens, 200);
  assertTrue(!JSON.stringify(summarizer).includes("hi alice"), "nothing of the conversation");

  // Each run is in the audit log with its tokens.
  const audit = (await Deno.readTextFile(`${agent.dataDir}/audit/tools.jsonl`)).trim().split("\n")
    .map((line) => JSON.parse(line)).filter((entry) => entry.skill === "spawn_agent");
  assertEquals(
    audit.map((entry) => [entry.agent, entry.outcome, entry.llm_calls, entry.tokens]).sort(),
    [
      ["researcher", "ok", 1, { input: 7, output: 3, cache_read: 0, cache_write: 0 }],
      ["summarizer", "ok", 1, { input: 7, output: 3, cache_read: 0, cache_write: 0 }],
    ],
  );
  assertEquals(audit[0].conversation, "alice@localhost");

  // The sub-agents' tokens count with the conversation's: 3 turns' calls of 110, 2 of 10.
  await alice.send(BOT, "/usage");
  const report = await alice.nextMessage({ from: BOT, withBody: true });
  assertIncludes(report.body ?? "", "Today (");
  assertIncludes(report.body ?? "", "UTC): 350 tokens (input 314, output 36, cache read 0");
});
