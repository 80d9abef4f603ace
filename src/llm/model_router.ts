/**
 * The model router: one client per configured model, the tier each call names, and the
 * fallback chain with a cool-down for a model that failed.
 *
 * @module
 */
import { LlmError, type LlmErrorKind } from "./llm_error.ts";
import { LLM_DEFAULT_HOSTS, type LlmProvider, parseModelId } from "./model_id.ts";
import {
  type CreateLlmClientOptions,
  createSingleClient,
  type LlmSettings,
} from "./_single_client.ts";
import { resolveTier, type Tier, type TierResolution, TIERS } from "./tiers.ts";
import type { ChatOptions, ChatRequest, ChatResponse, CheckOptions, LlmClient } from "./types.ts";
import type { ModelAnswer } from "./usage.ts";

/** The `[llm]` settings a router is built from (the config's, normalised). */
export interface ModelRouterSettings {
  /** The default model, `provider:model`. */
  default: string;
  /** Models tried in order when the one a tier names fails with an outage. */
  fallback: readonly string[];
  /** The model of each tier the config names. */
  tiers: Partial<Record<Tier, string>>;
  /** Each provider's settings; a provider a model uses and that is absent gets its default host. */
  providers: Partial<Record<LlmProvider, { api_key?: string | undefined; host: string }>>;
  max_tokens_per_request: number;
  timeout_secs: number;
  max_retries: number;
  /** How long a model that failed is tried after the others, in seconds. @default {60} */
  fallback_cooldown_secs?: number;
  /**
   * Named agents (`[llm.agents.<name>]`): each one's `model`, when it is a model id, gets a
   * client of its own, for calls that name it (`ChatOptions.model`). @default {{}}
   */
  agents?: Readonly<Record<string, { model?: string | undefined }>>;
}

/** Where the router says that a model failed and another answers. */
export interface RouterLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@linkcode createModelRouter}. */
export interface ModelRouterOptions extends CreateLlmClientOptions {
  /** Receives one line per fallback and per recovery. @default {none} */
  log?: RouterLog;
  /** The clock of the cool-down, in epoch milliseconds. @default {Date.now} */
  now?: () => number;
  /** Makes the client of one model. @default {the provider's real client} */
  createClient?: (settings: LlmSettings, options: CreateLlmClientOptions) => LlmClient;
}

/** One configured model, and what the config uses it for. */
export interface RoutedModel {
  /** `provider:model`. */
  id: string;
  client: LlmClient;
  /** `default`, the tiers that name it, `fallback`. */
  roles: string[];
}

/** A tier, the model serving it, and the models that stand in when it is down. */
export interface TierRoute extends TierResolution {
  /** The tier's model first, then the fallback models. */
  chain: string[];
}

/** An `LlmClient` whose calls name a tier and survive an outage of one model. */
export interface ModelRouter extends LlmClient {
  /**
   * Asks the tier's model, or after its retries fail with an outage (network, 5xx/529, 429,
   * timeout) the next model of the chain. Never falls back on 400/401/403/404 or a refused
   * permission: those are configuration errors the operator must see.
   *
   * @throws {LlmError} the last model's failure, or the first one that is not an outage
   */
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse>;
  /**
   * The route of a tier: its model and fallback chain; with `model` (a configured model id),
   * that model first, whatever the tier.
   */
  route(tier?: string, model?: string): TierRoute;
  /** Every tier, in `TIERS` order. */
  routes(): TierRoute[];
  /** Every configured model, the default first. */
  models(): readonly RoutedModel[];
  /** The model that answered the last successful call. */
  lastAnswer(): ModelAnswer | undefined;
}

/** Failures that mean "this model is out of reach now", after which another may answer. */
const OUTAGES: ReadonlySet<LlmErrorKind> = new Set([
  "network",
  "server",
  "overloaded",
  "timeout",
  "rate_limit",
]);

/**
 * Builds the router: a client for each model the settings name, sharing one usage meter that
 * records each call once, with the model that answered.
 *
 * A model that fails with an outage is put last in every chain for the cool-down
 * (`fallback_cooldown_secs`), so calls meanwhile do not wait through its retries; after
 * it, the model is tried first again.
 *
 * @param settings The normalised `[llm]` settings
 * @param options Log, clock, and what each model's client is built with
 * @throws {TypeError} when a model id is not `provider:model`, or Anthropic has no key
 *
 * @example
 * ```ts
 * const router = createModelRouter(config.llm, { usage, log: log.child("llm") });
 * await router.chat({ system, messages }, { tier: "light" });
 * ```
 */
export function createModelRouter(
  settings: ModelRouterSettings,
  options: ModelRouterOptions = {},
): ModelRouter {
  const { usage, log, now = Date.now, createClient = createSingleClient, ...shared } = options;
  const cooldown_ms = (settings.fallback_cooldown_secs ?? 60) * 1000;
  const models = buildModels(settings, (single) => createClient(single, shared));
  const byId = new Map(models.map((entry) => [entry.id, entry.client]));
  const failedAt = new Map<string, number>();
  const primary = models[0]!.client;
  let last: ModelAnswer | undefined;

  const route = (tier?: string, model?: string): TierRoute => {
    const own = resolveTier(settings, tier);
    const resolution = model === undefined ? own : { ...own, model, configured: true };
    return { ...resolution, chain: [...new Set([resolution.model, ...settings.fallback])] };
  };
  const cooling = (id: string) => {
    const failed = failedAt.get(id);
    return failed !== undefined && now() - failed < cooldown_ms;
  };

  return {
    provider: primary.provider,
    model: primary.model,
    check: function check(check_options?: CheckOptions): Promise<void> {
      return primary.check(check_options);
    },
    chat: async function chat(request: ChatRequest, chat_options: ChatOptions = {}) {
      if (chat_options.model !== undefined && !byId.has(chat_options.model)) {
        throw new TypeError(`Model "${chat_options.model}" is not configured`);
      }
      const { tier, chain } = route(chat_options.tier, chat_options.model);
      // A model in its cool-down goes last: still tried when every other one fails too.
      const order = [...chain.filter((id) => !cooling(id)), ...chain.filter(cooling)];
      let failure: unknown;
      for (const [index, id] of order.entries()) {
        try {
          const response = await byId.get(id)!.chat(request);
          if (failedAt.delete(id)) log?.info(`LLM ${id} answers again`);
          last = { model: id, tier, ...(id === chain[0] ? {} : { instead_of: chain[0]! }) };
          usage?.record(response.usage, last);
          return { ...response, model_id: id };
        } catch (error) {
          if (request.signal?.aborted) throw error;
          // A streamed answer cut midway is partly shown already: another model cannot resume it.
          if (!(error instanceof LlmError) || !OUTAGES.has(error.kind) || error.cut_off) {
            usage?.recordFailure();
            throw error;
          }
          failure = error;
          failedAt.set(id, now());
          if (order.length > 1) {
            const next = order[index + 1];
            log?.warn(
              `LLM ${id} failed (${error.kind}: ${error.message}); ` +
                (next === undefined ? "no other model to try" : `trying ${next}`),
            );
          }
        }
      }
      usage?.recordFailure();
      throw failure;
    },
    route,
    routes: () => TIERS.map((tier) => route(tier)),
    models: () => models,
    lastAnswer: () => last === undefined ? undefined : { ...last },
  };
}

/** One client per distinct model id: the default, the tiers, then the fallbacks. */
function buildModels(
  settings: ModelRouterSettings,
  make: (single: LlmSettings) => LlmClient,
): RoutedModel[] {
  const roles = new Map<string, string[]>();
  const add = (id: string, role: string) => roles.set(id, [...(roles.get(id) ?? []), role]);
  add(parseModelId(settings.default).id, "default");
  for (const tier of TIERS) {
    const id = settings.tiers[tier];
    if (id !== undefined) add(parseModelId(id).id, tier);
  }
  for (const id of settings.fallback) add(parseModelId(id).id, "fallback");
  for (const [name, agent] of Object.entries(settings.agents ?? {})) {
    // An agent's model may also be a tier's name, which needs no client of its own.
    if (agent.model?.includes(":")) add(parseModelId(agent.model).id, `agent ${name}`);
  }
  return [...roles].map(([id, uses]) => {
    const { provider, model } = parseModelId(id);
    const own = settings.providers[provider];
    const client = make({
      provider,
      model,
      host: own?.host ?? LLM_DEFAULT_HOSTS[provider],
      ...(own?.api_key === undefined ? {} : { api_key: own.api_key }),
      max_tokens_per_request: settings.max_tokens_per_request,
      timeout_secs: settings.timeout_secs,
      max_retries: settings.max_retries,
    });
    return { id, client, roles: uses };
  });
}
