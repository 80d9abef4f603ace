import assert from "node:assert/strict";
import type { ToolRunner } from "../agent/mod.ts";
import type { ChatOptions, ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import type { AuditEntry } from "../skills/mod.ts";
import { type SpawnAgentOptions, SpawnAgentTool } from "./spawn_agent_tool.ts";

type Seen = { request: ChatRequest; options: ChatOptions | undefined };

/** A scripted client: each call waits for `answer(request)`. */
function scriptedLlm(answer: (request: ChatRequest) => Promise<string> | string) {
  const seen: Seen[] = [];
  const llm: LlmClient = {
    provider: "anthropic",
    model: "m",
    check: () => Promise.resolve(),
    async chat(request, options) {
      seen.push({ request, options });
      const text = await answer(request);
      return {
        content: [{ type: "text", text }],
        text,
        stop_reason: "end_turn",
        usage: { input_tokens: 10, output_tokens: 5, cache_read_tokens: 2 },
        model: "m",
      } satisfies ChatResponse;
    },
  };
  return { llm, seen };
}

const parentTools: ToolRunner = {
  definitions: () => [
    { name: "memory_search", description: "", input_schema: { type: "object" } },
    { name: "spawn_agent", description: "", input_schema: { type: "object" } },
    { name: "web_search", description: "", input_schema: { type: "object" } },
  ],
  call: (call) => Promise.resolve({ tool_use_id: call.id, content: "r", is_error: false }),
};

function tool(llm: LlmClient, more: Partial<SpawnAgentOptions> = {}) {
  const audit: AuditEntry[] = [];
  const spawn = new SpawnAgentTool({
    llm,
    models: { default: "anthropic:m", tiers: {} },
    parentPrompt: (conversation) => Promise.resolve(`Parent prompt for ${conversation}`),
    maxTokens: 1000,
    audit: { record: (entry) => Promise.resolve(void audit.push(entry)) },
    tools: parentTools,
    agents: {
      researcher: { model: "openai:gpt", skills: ["web_search"], max_tokens: 300 },
      summarizer: { instructions: "Three bullets.", skills: [] },
      persona_one: { persona: "scholar", instructions: "Cite sources." },
    },
    personaPrompt: (id) => Promise.resolve(id === "scholar" ? "You are a scholar." : undefined),
    ...more,
  });
  return { spawn, audit };
}

const where = { conversation: "alice@x", sender: "alice@x" };
const call = (input: Record<string, unknown>, id = "t1") => ({ id, name: "spawn_agent", input });

Deno.test("spawn_agent lists the agents, and a sub-agent sees only its task, its tools and its prompt", async () => {
  const { llm, seen } = scriptedLlm((request) => `did: ${request.messages[0]!.content}`);
  const { spawn, audit } = tool(llm);
  const [definition] = spawn.definitions();
  assert.match(definition!.description, /- researcher \(model openai:gpt; tools web_search\)/);
  assert.match(definition!.description, /- summarizer \(no tools\): Three bullets\./);

  const result = await spawn.call(call({ task: "find X", agent_name: "researcher" }), where);
  assert.deepEqual(result, { tool_use_id: "t1", content: "did: find X", is_error: false });
  const first = seen[0]!;
  assert.deepEqual(first.request.messages, [{ role: "user", content: "find X" }]);
  assert.deepEqual(first.request.tools?.map((t) => t.name), ["web_search"]);
  assert.equal(first.request.max_tokens, 300);
  assert.deepEqual(first.options, {
    tier: "standard",
    model: "openai:gpt",
    conversation: "alice@x",
    purpose: "subagent",
  });
  assert.match(first.request.system, /^Parent prompt for alice@x/);

  await spawn.call(call({ task: "sum up", agent_name: "summarizer" }), where);
  assert.equal(seen[1]!.request.tools, undefined, "skills = [] gives no tools");
  assert.match(seen[1]!.request.system, /^Parent prompt for alice@x\n\nThree bullets\./);

  await spawn.call(call({ task: "general" }), where);
  assert.deepEqual(
    seen[2]!.request.tools?.map((t) => t.name),
    ["memory_search", "web_search"],
    "no allowlist: the parent's tools without spawn_agent",
  );
  await spawn.call(call({ task: "cite", agent_name: "persona_one" }), where);
  assert.match(seen[3]!.request.system, /^You are a scholar\.\n\nCite sources\./);

  assert.deepEqual(audit[0], {
    ...audit[0]!,
    conversation: "alice@x",
    skill: "spawn_agent",
    agent: "researcher",
    outcome: "ok",
    llm_calls: 1,
    tokens: { input: 10, output: 5, cache_read: 2, cache_write: 0 },
  });
  assert.equal(audit[2]!.agent, "general");
});

Deno.test("spawn_agent runs calls at once up to the limit; the next waits for a free slot", async () => {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const { llm } = scriptedLlm((request) => {
    const task = String(request.messages[0]!.content);
    started.push(task);
    return new Promise((resolve) => gates.set(task, () => resolve(`done ${task}`)));
  });
  const { spawn } = tool(llm, { maxConcurrent: 2 });
  const results = ["a", "b", "c"].map((task, i) => spawn.call(call({ task }, `t${i}`), where));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(started, ["a", "b"], "two at once, the third waits");
  gates.get("b")!();
  await results[1];
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(started, ["a", "b", "c"]);
  gates.get("a")!();
  gates.get("c")!();
  assert.deepEqual((await Promise.all(results)).map((r) => r.content), [
    "done a",
    "done b",
    "done c",
  ]);
});

Deno.test("spawn_agent stops a sub-agent that runs out of time, aborting its LLM call", async () => {
  let signal: AbortSignal | undefined;
  const { llm } = scriptedLlm((request) => {
    signal = request.signal;
    return new Promise((_, reject) =>
      request.signal!.addEventListener("abort", () => reject(request.signal!.reason))
    );
  });
  const { spawn, audit } = tool(llm, { timeoutSecs: 60 });
  const result = await spawn.call(call({ task: "slow", timeout_seconds: 1 }), where);
  assert.equal(result.is_error, true);
  assert.match(result.content, /did not finish within 1 s; it was stopped/);
  assert.equal(signal?.aborted, true);
  assert.equal(audit[0]!.outcome, "timeout");
});

Deno.test("spawn_agent refuses bad input and a conversation over its quota, with no LLM call", async () => {
  const { llm, seen } = scriptedLlm(() => "never");
  const { spawn } = tool(llm, {
    refusal: (conversation) => conversation === "bob@x" ? "over" : undefined,
  });
  const bad = [
    await spawn.call(call({ task: "" }), where),
    await spawn.call(call({ task: "x", agent_name: "nobody" }), where),
    await spawn.call(call({ task: "x", timeout_seconds: 0.5 }), where),
    await spawn.call(call({ task: "x", extra: 1 }), where),
    await spawn.call(call({ task: "x" }), { conversation: "bob@x" }),
  ];
  assert.ok(bad.every((result) => result.is_error));
  assert.match(bad[1]!.content, /unknown agent "nobody"; agents: researcher, summarizer/);
  assert.match(bad[4]!.content, /token quota is used up/);
  assert.equal(seen.length, 0);
});
