import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import { type ChatRequest, type ChatResponse, type LlmClient, LlmError } from "../llm/mod.ts";
import { runTestTurn, textAnswer, toolCalls } from "./_testing.ts";
import { type ToolRunner, UNTRUSTED_CONTENT_NOTICE, userFacingError } from "./turn.ts";

/** An LLM that calls `lookup` while tools are allowed and it has not seen `enough` results. */
class ToolHappyLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake";
  requests: ChatRequest[] = [];
  tiers: (string | undefined)[] = [];
  constructor(readonly enough: number) {}
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(request: ChatRequest, options?: { tier?: string | undefined }): Promise<ChatResponse> {
    this.tiers.push(options?.tier);
    const { signal: _signal, ...copy } = request;
    this.requests.push(structuredClone(copy));
    const results =
      request.messages.filter((m) =>
        Array.isArray(m.content) && m.content.some((b) => b.type === "tool_result")
      ).length;
    if (request.tool_choice !== "none" && results < this.enough) {
      return Promise.resolve(toolCalls([
        { id: `t${results}a`, name: "lookup", input: { q: `${results}` } },
        { id: `t${results}b`, name: "lookup", input: { q: "again" } },
      ]));
    }
    return Promise.resolve(textAnswer(`final after ${results} rounds`));
  }
}

function tools(calls: string[]): ToolRunner {
  return {
    definitions:
      () => [{ name: "lookup", description: "Look up", input_schema: { type: "object" } }],
    call: (call) => {
      calls.push(`${call.id}:${JSON.stringify(call.input)}`);
      return Promise.resolve({
        tool_use_id: call.id,
        content: `result of ${call.id}`,
        is_error: false,
      });
    },
  };
}

async function turn(
  llm: LlmClient,
  runner: ToolRunner,
  maxToolRounds: number,
  offerTools = true,
  tierFor?: (conversation: string, own: string) => string,
) {
  const { sent, memory } = await runTestTurn({
    entry: { type: "message", role: "user", content: "find it" },
    tools: offerTools,
  }, {
    llm,
    tools: runner,
    maxToolRounds,
    ...(tierFor === undefined ? {} : { tierFor }),
  });
  return { sent, memory };
}

Deno.test("runTurn() names its tier: standard, light after a light skill's round, or the forced one", async () => {
  const plain = new ToolHappyLlm(1);
  await turn(plain, tools([]), 10);
  assertEquals(plain.tiers, ["standard", "standard"]);
  const light = new ToolHappyLlm(1);
  await turn(light, { ...tools([]), tierOf: () => "light" }, 10);
  assertEquals(light.tiers, ["standard", "light"], "the synthesis of a light skill's results");
  const forced = new ToolHappyLlm(1);
  await turn(
    forced,
    tools([]),
    10,
    true,
    (conversation, own) => conversation === "alice@localhost" ? "heavy" : own,
  );
  assertEquals(forced.tiers, ["heavy", "heavy"], "/tier wins over the call's own tier");
});

Deno.test("runTurn() runs tool calls, feeds the results back and answers", async () => {
  const llm = new ToolHappyLlm(2);
  const calls: string[] = [];
  const { sent, memory } = await turn(llm, tools(calls), 10);
  assertEquals(calls, ['t0a:{"q":"0"}', 't0b:{"q":"again"}', 't1a:{"q":"1"}', 't1b:{"q":"again"}']);
  assertEquals((sent.at(-1) as { body: string }).body, "final after 2 rounds");
  const third = llm.requests[2];
  assertEquals(third?.messages.map((m) => m.role), [
    "user",
    "assistant",
    "user",
    "assistant",
    "user",
  ]);
  assertIncludes(third?.system ?? "", UNTRUSTED_CONTENT_NOTICE);
  const types = (await memory.recent("alice@localhost", 10, { include: "all" })).map((e) => e.type);
  assertEquals(types, [
    "message",
    "tool_calls",
    "tool_results",
    "tool_calls",
    "tool_results",
    "message",
  ]);
});

Deno.test("runTurn() asks for a final answer without tools after the last round", async () => {
  const llm = new ToolHappyLlm(100);
  const calls: string[] = [];
  const { sent } = await turn(llm, tools(calls), 10);
  assertEquals(llm.requests.length, 11);
  assertEquals(calls.length, 20);
  const last = llm.requests.at(-1);
  assertEquals(last?.tool_choice, "none");
  assertEquals(last?.tools?.map((t) => t.name), ["lookup"], "tool definitions are kept");
  assertEquals((sent.at(-1) as { body: string }).body, "final after 10 rounds");
});

Deno.test("runTurn() without tools offers none and runs none, even when the model asks", async () => {
  const llm = new ToolHappyLlm(1);
  const calls: string[] = [];
  await turn(llm, tools(calls), 10, false);
  assertEquals(llm.requests.map((r) => [r.tools, r.tool_choice]), [[undefined, undefined]]);
  assertEquals(calls, []);
  assertEquals(llm.requests[0]?.system.includes(UNTRUSTED_CONTENT_NOTICE), false);
});

Deno.test("userFacingError() says an unknown model is not available, not to try again", () => {
  const text = userFacingError(
    new LlmError('LLM provider "anthropic" does not know the model "x" (HTTP 404)', {
      kind: "not_found",
      status: 404,
    }),
  );
  assertIncludes(text, "not available");
  assertIncludes(text, "tell the administrator");
  assertTrue(!text.includes("try again"), text);
  assertTrue(!text.includes('"x"'), "nothing of the provider's answer");
});
