/**
 * The LLM layer: provider-neutral chat types, the `LlmClient` factory (Anthropic, Ollama) with
 * retries, timeouts and usage accounting, and the error type callers catch.
 *
 * @example
 * ```ts
 * import { createLlmClient, LlmError, UsageMeter } from "./llm/mod.ts";
 *
 * const usage = new UsageMeter();
 * const client = createLlmClient(config.llm, { usage });
 * const answer = await client.chat({ system, messages });
 * ```
 *
 * @module
 */
export type {
  ChatMessage,
  ChatRequest,
  ChatResponse,
  CheckOptions,
  ContentBlock,
  LlmClient,
  StopReason,
  ToolDefinition,
  Usage,
} from "./types.ts";
export { LlmError } from "./llm_error.ts";
export type { LlmErrorKind, LlmErrorOptions } from "./llm_error.ts";
export { createLlmClient } from "./create_llm_client.ts";
export { checkAtStart } from "./check_at_start.ts";
export type { CheckLog } from "./check_at_start.ts";
export type { CreateLlmClientOptions, LlmSettings } from "./create_llm_client.ts";
export { UsageMeter } from "./usage.ts";
export type { UsageTotals } from "./usage.ts";
export type { RetryInfo, Sleep } from "./retry.ts";
