/**
 * Model ids: `provider:model`, the one way the config names a model (`[llm] default`,
 * `fallback`, `[llm.tiers]`).
 *
 * @module
 */

/** The LLM providers the agent can talk to. */
export const LLM_PROVIDERS = ["anthropic", "ollama", "openai"] as const;

/** One of {@linkcode LLM_PROVIDERS}. */
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/**
 * The API base URL of each provider when its `host` is not set. OpenAI's includes the version
 * path: requests go to `{host}/chat/completions`, as every OpenAI-compatible server expects.
 */
export const LLM_DEFAULT_HOSTS: Readonly<Record<LlmProvider, string>> = {
  anthropic: "https://api.anthropic.com",
  ollama: "http://localhost:11434",
  openai: "https://api.openai.com/v1",
};

/** A parsed model id. */
export interface ModelId {
  provider: LlmProvider;
  /** The model as the provider names it; may hold colons (`llama3.1:8b`). */
  model: string;
  /** `provider:model`, as written. */
  id: string;
}

/**
 * Parses `provider:model`. Only the first colon separates: Ollama's model names carry a tag
 * after a colon of their own (`ollama:llama3.1:8b` is the model `llama3.1:8b`).
 *
 * @param text The id, e.g. `"anthropic:claude-sonnet-4-5"`
 * @returns The provider and the model
 * @throws {TypeError} when there is no provider, no model, or the provider is unknown
 *
 * @example
 * ```ts
 * parseModelId("ollama:llama3.1:8b"); // { provider: "ollama", model: "llama3.1:8b", … }
 * ```
 */
export function parseModelId(text: string): ModelId {
  const colon = text.indexOf(":");
  const provider = colon === -1 ? "" : text.slice(0, colon).trim();
  const model = colon === -1 ? "" : text.slice(colon + 1).trim();
  if (provider === "" || model === "") {
    throw new TypeError(
      `Cannot read the model id ${JSON.stringify(text)}: expected "provider:model", ` +
        `like "anthropic:claude-sonnet-4-5"`,
    );
  }
  if (!isProvider(provider)) {
    throw new TypeError(
      `Cannot read the model id ${JSON.stringify(text)}: unknown provider ` +
        `${JSON.stringify(provider)} (expected ${
          LLM_PROVIDERS.map((name) => JSON.stringify(name)).join(", ")
        })`,
    );
  }
  return { provider, model, id: `${provider}:${model}` };
}

/**
 * Whether a name is one of {@linkcode LLM_PROVIDERS}.
 *
 * @param name Any string
 */
export function isProvider(name: string): name is LlmProvider {
  return (LLM_PROVIDERS as readonly string[]).includes(name);
}
