/**
 * How many tokens each model's context holds, for the models the agent knows, so that a
 * history budget never asks for more than the model can read. A model this table does not know
 * is given in `[llm.context_windows]`; without that it is assumed to hold
 * {@linkcode UNKNOWN_CONTEXT_WINDOW} tokens.
 *
 * @module
 */

/** What an unknown model is assumed to hold: small enough for most local models. */
export const UNKNOWN_CONTEXT_WINDOW = 32_768;

/**
 * Known models by name pattern, the most specific first. Values are the providers' documented
 * context windows (Anthropic's standard 200k, not the 1M beta).
 */
const KNOWN: readonly (readonly [RegExp, number])[] = [
  [/^claude-/, 200_000],
  [/^gpt-4\.1/, 1_047_576],
  [/^gpt-5/, 400_000],
  [/^gpt-4o|^gpt-4-turbo|^o1-mini/, 128_000],
  [/^o1|^o3|^o4/, 200_000],
  [/^gpt-4-32k/, 32_768],
  [/^gpt-4/, 8_192],
  [/^gpt-3\.5-turbo/, 16_385],
  [/^llama3\.[1-3]|^llama-3\.[1-3]|^llama4/, 128_000],
  [/^llama3|^llama-3/, 8_192],
  [/^qwen3/, 40_960],
  [/^qwen2\.5/, 32_768],
  [/^mistral-large|^mistral-medium|^mistral-small|^ministral|^mistral-nemo/, 128_000],
  [/^mistral|^mixtral/, 32_768],
  [/^gemma3/, 128_000],
  [/^gemma2|^gemma/, 8_192],
  [/^deepseek/, 128_000],
  [/^phi4/, 16_384],
  [/^phi3/, 128_000],
  [/^gemini-/, 1_048_576],
];

/**
 * The context window of a model.
 *
 * @param modelId `provider:model`, e.g. `anthropic:claude-sonnet-4-5` or `ollama:llama3.1:8b`.
 * @param configured `[llm.context_windows]`: tokens by model id, which wins over the table.
 * @returns Its size in tokens, and whether it was known (configured or in the table).
 */
export function contextWindow(
  modelId: string,
  configured: Readonly<Record<string, number>> = {},
): { tokens: number; known: boolean } {
  const given = configured[modelId];
  if (given !== undefined) return { tokens: given, known: true };
  const colon = modelId.indexOf(":");
  // An OpenAI-compatible router names models `vendor/model`: the part after the slash counts.
  const model = (colon === -1 ? modelId : modelId.slice(colon + 1)).toLowerCase()
    .replace(/^.*\//, "");
  for (const [pattern, tokens] of KNOWN) if (pattern.test(model)) return { tokens, known: true };
  return { tokens: UNKNOWN_CONTEXT_WINDOW, known: false };
}
