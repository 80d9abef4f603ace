/**
 * Builds the `LlmClient` the agent uses from the `[llm]` settings: a model router when the
 * settings describe models by id (what the config loader always gives), else the client of
 * one model.
 *
 * @module
 */
import { createModelRouter, type ModelRouter, type ModelRouterOptions } from "./model_router.ts";
import type { ModelRouterSettings } from "./model_router.ts";
import { createSingleClient, type LlmSettings } from "./_single_client.ts";
import type { LlmClient } from "./types.ts";

export type { CreateLlmClientOptions, LlmSettings } from "./_single_client.ts";

/**
 * Creates the chat client for the configured model or models.
 *
 * Given the config's `[llm]` (with `default`, `fallback`, `tiers` and `providers`), it returns a
 * {@linkcode ModelRouter}: each call goes to the model of its tier, and to the fallback models
 * when that one is down. Given only `provider`, `model` and `host`, the client of that model.
 *
 * @param settings The `[llm]` settings
 * @param options Injected fetch, usage meter, retry hooks; for a router also its log and clock
 * @returns A client whose `chat()` throws only `LlmError` (or the caller signal's reason); the
 *   provider's SDK loads at the first call, which fails with kind "permission" when the SDK may
 *   not read the environment it needs
 * @throws {TypeError} when a provider is unknown or Anthropic has no `api_key`
 *
 * @example
 * ```ts
 * const client = createLlmClient({
 *   provider: "ollama", model: "llama3.2", host: "http://127.0.0.1:11434",
 *   max_tokens_per_request: 1024, timeout_secs: 60, max_retries: 2,
 * });
 * const answer = await client.chat({ system: "Be brief", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function createLlmClient(
  settings: LlmSettings & ModelRouterSettings,
  options?: ModelRouterOptions,
): ModelRouter;
export function createLlmClient(settings: LlmSettings, options?: ModelRouterOptions): LlmClient;
export function createLlmClient(
  settings: LlmSettings | (LlmSettings & ModelRouterSettings),
  options: ModelRouterOptions = {},
): LlmClient {
  if (isRouterSettings(settings)) return createModelRouter(settings, options);
  const { log: _log, now: _now, createClient: _create, ...single } = options;
  return createSingleClient(settings, single);
}

function isRouterSettings(settings: object): settings is ModelRouterSettings {
  return "default" in settings && "providers" in settings && "tiers" in settings &&
    "fallback" in settings;
}
