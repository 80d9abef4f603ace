/**
 * Which model serves one call, in a fixed order: the named agent's own `model`, else the tier
 * a skill's manifest asks for (its results' synthesis), else the call's own tier as
 * `[llm.tiers]` names it, else the default model.
 *
 * @module
 */
import { DEFAULT_TIER, isTier, resolveTier, type Tier, type TierModels } from "./tiers.ts";

/** What a call site knows when it chooses a model. */
export interface CallModelChoice {
  /**
   * A named agent's `model`: a model id (`provider:model`), or the name of a tier.
   * @default {none}
   */
  agent?: string | undefined;
  /** The tier the skills whose results this call sums up ask for (`light`). @default {none} */
  skillTier?: string | undefined;
  /** The call's own tier (`standard`, `vision`…). @default {"standard"} */
  tier?: string | undefined;
}

/** The model a call uses, and which rule chose it. */
export interface CallModel {
  /** The tier the call is made on (for the log and `/status`). */
  tier: Tier;
  /** The model id that serves it. */
  model: string;
  /** The rule that chose it: the agent's model, a skill's tier, a configured tier, the default. */
  by: "agent" | "skill" | "tier" | "default";
  /** What to pass to a model router's `chat()`. */
  options: { tier: Tier; model?: string };
}

/**
 * Resolves a call's model: agent → skill tier → tiers → default.
 *
 * @param models The default model and the configured tiers
 * @param choice The agent's model, the skill's tier, the call's tier
 *
 * @example
 * ```ts
 * const models = { default: "anthropic:s", tiers: { light: "ollama:l" } };
 * resolveCallModel(models, { agent: "openai:gpt-x", skillTier: "light" }).model; // "openai:gpt-x"
 * resolveCallModel(models, { skillTier: "light" }).model; // "ollama:l"
 * resolveCallModel(models, { tier: "vision" }).by; // "default"
 * ```
 */
export function resolveCallModel(models: TierModels, choice: CallModelChoice = {}): CallModel {
  const own: Tier = choice.tier !== undefined && isTier(choice.tier) ? choice.tier : DEFAULT_TIER;
  const agent = choice.agent;
  if (agent !== undefined && agent.includes(":")) {
    return { tier: own, model: agent, by: "agent", options: { tier: own, model: agent } };
  }
  // An agent whose model names a tier works on that tier, before any skill's wish.
  const chosen: { tier: Tier; by: CallModel["by"] } | undefined =
    agent !== undefined && isTier(agent)
      ? { tier: agent, by: "agent" }
      : choice.skillTier !== undefined && isTier(choice.skillTier)
      ? { tier: choice.skillTier, by: "skill" }
      : undefined;
  const tier = chosen?.tier ?? own;
  const resolved = resolveTier(models, tier);
  const by = !resolved.configured ? "default" : chosen?.by ?? "tier";
  return { tier, model: resolved.model, by, options: { tier } };
}
