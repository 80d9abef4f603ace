/**
 * The LLM layer: provider-neutral chat types (with prompt-cache hints), token estimates
 * corrected per model and the context window of known models, the `LlmClient` factory (Anthropic, Ollama,
 * OpenAI-compatible) with retries, timeouts and usage accounting, the model router (tiers and
 * the fallback chain), and the error type callers catch.
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
  CacheHints,
  ChatMessage,
  ChatOptions,
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
export type { ModelAnswer, UsageTotals } from "./usage.ts";
export { createModelRouter } from "./model_router.ts";
export type {
  ModelRouter,
  ModelRouterOptions,
  ModelRouterSettings,
  RoutedModel,
  RouterLog,
  TierRoute,
} from "./model_router.ts";
export { isProvider, LLM_DEFAULT_HOSTS, LLM_PROVIDERS, parseModelId } from "./model_id.ts";
export type { LlmProvider, ModelId } from "./model_id.ts";
export { DEFAULT_TIER, isTier, resolveTier, TIERS } from "./tiers.ts";
export type { Tier, TierModels, TierResolution } from "./tiers.ts";
export { TierOverrides } from "./tier_overrides.ts";
export { resolveCallModel } from "./resolve_call_model.ts";
export type { CallModel, CallModelChoice } from "./resolve_call_model.ts";
export type { RetryInfo, Sleep } from "./retry.ts";
export {
  ESTIMATE_ERROR_BOUND,
  estimateBlockTokens,
  estimateMessageTokens,
  estimateRequestTokens,
  estimateTokens,
  estimateToolTokens,
} from "./token_estimate.ts";
export { contextWindow, UNKNOWN_CONTEXT_WINDOW } from "./context_windows.ts";
export { promptTokens, TokenCalibration } from "./token_calibration.ts";
export type { TokenCalibrationOptions } from "./token_calibration.ts";
