/**
 * Model tiers: each call names the kind of work it is, and the config says which model does
 * that kind of work. Tiers are declared by the call site, never guessed from the request.
 *
 * @module
 */

/**
 * The tiers the config may name (`[llm.tiers]`):
 * - `heavy`: hard work a caller asks for explicitly;
 * - `standard`: answering a user's message (the default model);
 * - `light`: compaction, memory flushes, summaries, and skills whose manifest asks for it;
 * - `vision`: a message that carries an image.
 */
export const TIERS = ["heavy", "standard", "light", "vision"] as const;

/** One of {@linkcode TIERS}. */
export type Tier = (typeof TIERS)[number];

/** The tier every call uses unless it names another. */
export const DEFAULT_TIER: Tier = "standard";

/** The model ids a config gives: the default model and the tiers it names. */
export interface TierModels {
  /** The default model, `provider:model`: the standard tier's when it names none. */
  default: string;
  /** The tiers the config names; the others use the standard tier's model. */
  tiers: Partial<Record<Tier, string>>;
}

/** Which model a tier resolves to, and how. */
export interface TierResolution {
  /** The tier asked for, or `standard` when the name is not a tier. */
  tier: Tier;
  /** The model id that serves it. */
  model: string;
  /** Whether `[llm.tiers]` names a model for this tier itself. */
  configured: boolean;
}

/**
 * Whether a name is one of {@linkcode TIERS}.
 *
 * @param name Any string, e.g. a skill manifest's `tier`
 */
export function isTier(name: string): name is Tier {
  return (TIERS as readonly string[]).includes(name);
}

/**
 * Resolves a tier to a model: the tier's own model, else the standard tier's, else the
 * default model. A name that is not a tier (a skill manifest may say `tier = "fast"`) is
 * served as `standard`.
 *
 * @param models The default model and the configured tiers
 * @param tier The tier a call names @default {"standard"}
 *
 * @example
 * ```ts
 * resolveTier({ default: "anthropic:claude-sonnet-4-5", tiers: { light: "ollama:llama3.1:8b" } }, "vision");
 * // { tier: "vision", model: "anthropic:claude-sonnet-4-5", configured: false }
 * ```
 */
export function resolveTier(models: TierModels, tier: string = DEFAULT_TIER): TierResolution {
  const known: Tier = isTier(tier) ? tier : DEFAULT_TIER;
  const own = models.tiers[known];
  if (own !== undefined) return { tier: known, model: own, configured: true };
  return { tier: known, model: models.tiers.standard ?? models.default, configured: false };
}
