/**
 * One sub-agent's run: the LLM and its tools in a loop, like a turn, but with no history but
 * its task, no memory written, and nothing sent to anyone. Its answer goes back to the agent
 * that started it.
 *
 * @module
 */
import type { ToolContext, ToolRunner } from "../agent/mod.ts";
import {
  type ChatMessage,
  type LlmClient,
  resolveCallModel,
  type TierModels,
  type ToolDefinition,
} from "../llm/mod.ts";
import { addTotals, emptyTotals, type TokenTotals } from "../usage/mod.ts";

/** What one run needs. */
export interface SubagentRequest {
  /** The task: the only message the sub-agent sees. */
  task: string;
  system: string;
  /** Its tools; none when absent. */
  tools?: ToolRunner | undefined;
  /** The parent's conversation, whose memory its tools may read and whose usage it is. */
  where: ToolContext;
  /** The agent's `model` (a model id or a tier), when it names one. */
  model?: string | undefined;
  /** Largest answer per call, in tokens. */
  maxTokens: number;
  /** Rounds of tool calls before it must answer. */
  maxRounds: number;
  /** Stops the run: its LLM calls are aborted, and its tool calls' results are dropped. */
  signal: AbortSignal;
}

/** The LLM a run uses. */
export interface SubagentLlm {
  /** A client that records usage (`ChatOptions.conversation`) into the ledger. */
  llm: LlmClient;
  /** The default model and tiers, to resolve each call's model. */
  models: TierModels;
}

/** What a run did. */
export interface SubagentOutcome {
  text: string;
  tokens: TokenTotals;
  /** LLM calls made. */
  calls: number;
  toolCalls: number;
}

/**
 * Runs a sub-agent to its answer.
 *
 * @param request The task, prompt, tools and limits
 * @param deps The LLM and the models
 * @param spent Filled in as calls return, so that a run stopped half-way still reports them
 * @throws {LlmError} when the LLM fails; the signal's reason when it is aborted
 */
export async function runSubagent(
  request: SubagentRequest,
  deps: SubagentLlm,
  spent: SubagentOutcome = { text: "", tokens: emptyTotals(), calls: 0, toolCalls: 0 },
): Promise<SubagentOutcome> {
  const { signal, where } = request;
  const messages: ChatMessage[] = [{ role: "user", content: request.task }];
  const tools: ToolDefinition[] = request.tools?.definitions() ?? [];
  let skillTier: string | undefined;
  for (let round = 0;; round++) {
    signal.throwIfAborted();
    const last = round >= request.maxRounds;
    const chosen = resolveCallModel(deps.models, { agent: request.model, skillTier });
    const response = await deps.llm.chat({
      system: request.system,
      messages,
      max_tokens: request.maxTokens,
      signal,
      ...(tools.length > 0 ? { tools, tool_choice: last ? "none" : "auto" } : {}),
    }, { ...chosen.options, conversation: where.conversation, purpose: "subagent" });
    spent.calls++;
    addTotals(spent.tokens, {
      input: response.usage.input_tokens,
      output: response.usage.output_tokens,
      cache_read: response.usage.cache_read_tokens ?? 0,
      cache_write: response.usage.cache_write_tokens ?? 0,
    });
    const calls = response.content.filter((block) => block.type === "tool_use");
    if (calls.length === 0 || tools.length === 0 || last) {
      spent.text = response.text.trim() || "(The sub-agent returned an empty answer.)";
      return spent;
    }
    spent.toolCalls += calls.length;
    const asked = calls.map((call) => request.tools?.tierOf?.(call.name));
    skillTier = asked.every((tier) => tier === "light") ? "light" : undefined;
    const results = await abortable(
      Promise.all(calls.map((call) => request.tools!.call(call, { ...where, signal }))),
      signal,
    );
    messages.push({ role: "assistant", content: response.content });
    messages.push({
      role: "user",
      content: results.map((result) => ({ type: "tool_result", ...result })),
    });
  }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it is aborted. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}
