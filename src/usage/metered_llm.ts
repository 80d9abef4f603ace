/**
 * An `LlmClient` that records the tokens of every call that says whose it is
 * (`ChatOptions.conversation`) in the usage ledger: the agent's turns, sub-agents, and any
 * other caller (compaction, summaries) that names its conversation.
 *
 * @module
 */
import type { ChatOptions, ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import type { UsageRecord } from "./usage_ledger.ts";

/** Where the calls are recorded (the usage ledger). */
export interface UsageRecorder {
  record(record: UsageRecord): Promise<void>;
}

/**
 * Wraps a client so that its calls are recorded.
 *
 * @param llm The client (a model router, or one model's client)
 * @param ledger Where each call's tokens go
 * @returns A client whose `chat()` records, then returns, the answer
 *
 * @example
 * ```ts
 * const llm = meteredLlm(router, ledger);
 * await llm.chat(request, { tier: "light", conversation: "alice@example.org", purpose: "compaction" });
 * ```
 */
export function meteredLlm(llm: LlmClient, ledger: UsageRecorder): LlmClient {
  return {
    provider: llm.provider,
    model: llm.model,
    check: (options) => llm.check(options),
    chat: async function chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse> {
      const response = await llm.chat(request, options);
      if (options?.conversation !== undefined) {
        // Written in the background: the answer does not wait for the disk.
        void ledger.record({
          conversation: options.conversation,
          model: response.model_id ?? `${llm.provider}:${llm.model}`,
          purpose: options.purpose,
          input_tokens: response.usage.input_tokens,
          output_tokens: response.usage.output_tokens,
          cache_read_tokens: response.usage.cache_read_tokens,
          cache_write_tokens: response.usage.cache_write_tokens,
        });
      }
      return response;
    },
  };
}
