/**
 * The `[llm]` section: models named `provider:model` (`default`, `fallback`, `[llm.tiers]`),
 * one `[llm.providers.<name>]` table per provider, and the older single-model form
 * (`provider`, `model`, `api_key`, `host`), which keeps working as the default model.
 *
 * The two forms may be combined only where they cannot disagree:
 * - `provider` + `model` is the default model, so `default` may not be given with them;
 * - `api_key` and `host` belong to `provider`: without it they are an error, and
 *   `[llm.providers.<that provider>]` may not set the same key again;
 * - `[llm.tiers] standard` is the default model too: given with `default` (or `provider` +
 *   `model`), it must name the same model.
 *
 * @module
 */
import { z } from "zod";
import {
  isProvider,
  LLM_DEFAULT_HOSTS,
  LLM_PROVIDERS,
  type LlmProvider,
  parseModelId,
} from "../llm/model_id.ts";
import { TIERS } from "../llm/tiers.ts";
import { llmAgentsTable } from "./_agents_schema.ts";

const URL_ERROR = "expected an http:// or https:// URL";
const MODEL_ID = 'expected a model id "provider:model", like "anthropic:claude-sonnet-4-5"';

function oneOf(values: readonly string[]): string {
  return `expected one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
}

function integer(min: number, max?: number) {
  const error = max === undefined
    ? `expected an integer of at least ${min}`
    : `expected an integer from ${min} to ${max}`;
  const base = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? base : base.max(max, { error });
}

function text(error = "expected a non-empty string") {
  return z.string({ error }).min(1, { error });
}

function table<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: "expected a table" });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const httpUrl = () => text(URL_ERROR).refine(isHttpUrl, { error: URL_ERROR });

/** A model id; the message names the providers when the one given is unknown. */
const modelId = () =>
  z.string({ error: MODEL_ID }).check((context) => {
    try {
      parseModelId(context.value);
    } catch (error) {
      const unknown = /unknown provider/.test(String(error));
      context.issues.push({
        code: "custom",
        input: context.value,
        message: unknown
          ? `${oneOf(LLM_PROVIDERS)} before the colon of "provider:model"`
          : MODEL_ID,
      });
    }
  }).transform((value) => parseModelId(value).id);

const providerTable = table({ api_key: text().optional(), host: httpUrl().optional() });

/** `[llm.providers]`: one table per provider. */
export const llmProvidersTable = table({
  anthropic: providerTable.optional(),
  ollama: providerTable.optional(),
  openai: providerTable.optional(),
});

/** `[llm.tiers]`: the model of each tier. */
export const llmTiersTable = table(
  Object.fromEntries(TIERS.map((tier) => [tier, modelId().optional()])) as Record<
    (typeof TIERS)[number],
    z.ZodOptional<ReturnType<typeof modelId>>
  >,
);

/** `[llm]` as written. */
export const llmTable = table({
  default: modelId().optional(),
  fallback: z.array(modelId(), { error: "expected an array of model ids" }).default([]),
  fallback_cooldown_secs: integer(0, 86_400).default(60),
  tiers: llmTiersTable.optional(),
  providers: llmProvidersTable.optional(),
  provider: z.enum(LLM_PROVIDERS, { error: oneOf(LLM_PROVIDERS) }).optional(),
  model: text().optional(),
  api_key: text().optional(),
  host: httpUrl().optional(),
  max_tokens_per_request: integer(1).default(4096),
  // The history is a token budget; a message count is only an extra cap when given.
  dm_history_token_budget: integer(1000).default(50_000),
  muc_history_token_budget: integer(1000).default(80_000),
  max_history_messages: integer(1).optional(),
  /** Tokens held by models the agent does not know, by `provider:model`. */
  context_windows: z.record(
    z.string(),
    integer(1024),
    { error: 'expected a table of context windows, like { "ollama:mymodel" = 32768 }' },
  ).default({}),
  prompt_cache: z.boolean({ error: "expected true or false" }).default(true),
  timeout_secs: integer(1).default(120),
  max_retries: integer(0, 10).default(2),
  agents: llmAgentsTable.default({}),
});

type LlmTable = z.output<typeof llmTable>;

/** One provider's effective settings. */
export interface LlmProviderConfig {
  /** Required for Anthropic, and for OpenAI's own host. */
  api_key?: string;
  /** The API base URL, the provider's default when not set. */
  host: string;
}

const KEY_HINT: Record<LlmProvider, string> = {
  anthropic: "${ANTHROPIC_API_KEY}",
  ollama: "${OLLAMA_API_KEY}",
  openai: "${OPENAI_API_KEY}",
};

type Issue = { path: (string | number)[]; message: string };

/** Every rule across keys, as issues (empty when the section is consistent). */
function llmIssues(llm: LlmTable): Issue[] {
  const issues: Issue[] = [];
  const legacy = llm.provider !== undefined || llm.model !== undefined;
  if (llm.default !== undefined && legacy) {
    issues.push({
      path: ["default"],
      message: "conflicts with llm.provider and llm.model: name the default model once, either " +
        'as default = "provider:model" or as provider + model',
    });
  }
  if (llm.provider !== undefined && llm.model === undefined) {
    issues.push({ path: ["model"], message: "missing, expected a non-empty string" });
  }
  if (llm.model !== undefined && llm.provider === undefined) {
    issues.push({
      path: ["provider"],
      message: `missing, ${oneOf(LLM_PROVIDERS)} (or write default = "provider:model")`,
    });
  }
  for (const key of ["api_key", "host"] as const) {
    if (llm[key] === undefined) continue;
    if (llm.provider === undefined) {
      issues.push({
        path: [key],
        message: `belongs to llm.provider, which is not set: write it in [llm.providers.<name>]`,
      });
    } else if (llm.providers?.[llm.provider]?.[key] !== undefined) {
      issues.push({
        path: ["providers", llm.provider, key],
        message: `conflicts with llm.${key}: set the ${key} of "${llm.provider}" once`,
      });
    }
  }
  const chosen = defaultModel(llm);
  if (chosen === undefined && legacy === false) {
    issues.push({
      path: ["default"],
      message: 'missing: the model to use, like default = "anthropic:claude-sonnet-4-5" ' +
        "(or provider + model)",
    });
  }
  const standard = llm.tiers?.standard;
  if (standard !== undefined && chosen !== undefined && standard !== chosen) {
    issues.push({
      path: ["tiers", "standard"],
      message: `differs from the default model ("${chosen}"): the standard tier is the ` +
        "default model, so name it once or give both the same model",
    });
  }
  if (issues.length > 0) return issues;
  const providers = effectiveProviders(llm);
  for (const [name, settings] of Object.entries(providers) as [LlmProvider, LlmProviderConfig][]) {
    if (settings.api_key !== undefined) continue;
    const needsKey = name === "anthropic" ||
      (name === "openai" && settings.host === LLM_DEFAULT_HOSTS.openai);
    if (!needsKey) continue;
    const legacyKey = llm.provider === name;
    issues.push({
      path: legacyKey ? ["api_key"] : ["providers", name, "api_key"],
      message: legacyKey
        ? `missing: required when provider is "${name}" (api_key = "${KEY_HINT[name]}")`
        : `missing: required for "${name}"${
          name === "openai" ? ` at ${settings.host}` : ""
        } (api_key = "${KEY_HINT[name]}")`,
    });
  }
  return issues;
}

/** The default model's id, from `default`, `provider` + `model` or `[llm.tiers] standard`. */
function defaultModel(llm: LlmTable): string | undefined {
  if (llm.default !== undefined) return llm.default;
  if (llm.provider !== undefined && llm.model !== undefined) {
    return `${llm.provider}:${llm.model}`;
  }
  return llm.tiers?.standard;
}

/** Every model id the section names, the default first. */
function modelIds(llm: LlmTable): string[] {
  // A named agent's model joins the others (its provider's host and key), unless it is a tier.
  const agents = Object.values(llm.agents).map((agent) => agent.model).filter((model) =>
    model?.includes(":")
  );
  const ids = [defaultModel(llm), ...Object.values(llm.tiers ?? {}), ...llm.fallback, ...agents];
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/**
 * Each provider a model uses or a `[llm.providers.*]` table configures, with its host filled
 * in. The older `api_key` and `host` keys are the settings of `provider`.
 */
function effectiveProviders(llm: LlmTable): Partial<Record<LlmProvider, LlmProviderConfig>> {
  const names = new Set<LlmProvider>();
  for (const id of modelIds(llm)) names.add(parseModelId(id).provider);
  for (const name of Object.keys(llm.providers ?? {})) if (isProvider(name)) names.add(name);
  const providers: Partial<Record<LlmProvider, LlmProviderConfig>> = {};
  for (const name of LLM_PROVIDERS) {
    if (!names.has(name)) continue;
    const table = llm.providers?.[name] ?? {};
    const legacy: { api_key?: string | undefined; host?: string | undefined } =
      llm.provider === name ? llm : {};
    const api_key = table.api_key ?? legacy.api_key;
    providers[name] = {
      ...(api_key === undefined ? {} : { api_key }),
      host: table.host ?? legacy.host ?? LLM_DEFAULT_HOSTS[name],
    };
  }
  return providers;
}

/**
 * `[llm]` validated and normalised: `default`, `fallback`, `tiers` and `providers` always
 * describe every model, whichever form was written; `provider`, `model`, `api_key` and `host`
 * are always those of the default model (what single-model callers read).
 */
export const llmSchema = llmTable.check((context) => {
  for (const issue of llmIssues(context.value)) {
    context.issues.push({
      code: "custom",
      input: undefined,
      ...issue,
      // Reported even when other llm keys are wrong, so every problem shows at once.
      continue: true,
    });
  }
}).transform((llm) => {
  const id = parseModelId(defaultModel(llm) ?? "");
  const providers = effectiveProviders(llm);
  const own = providers[id.provider] ?? { host: LLM_DEFAULT_HOSTS[id.provider] };
  const { default: _default, fallback, fallback_cooldown_secs, tiers = {}, ...rest } = llm;
  // The written provider keys are folded into `providers`; what is left are the limits.
  const { provider: _p, model: _m, api_key: _k, host: _h, providers: _t, ...limits } = rest;
  return {
    provider: id.provider,
    model: id.model,
    ...(own.api_key === undefined ? {} : { api_key: own.api_key }),
    host: own.host,
    default: id.id,
    fallback,
    fallback_cooldown_secs,
    ...limits,
    tiers,
    providers,
  };
});
