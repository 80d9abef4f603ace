/**
 * Estimated cost of tokens, from the operator's prices (`[quota.cost]`, USD per million
 * tokens by model).
 *
 * @module
 */
import type { TokenTotals } from "./token_totals.ts";

/** One model's prices, USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** @default {the input price} */
  cache_read?: number | undefined;
  /** @default {the input price} */
  cache_write?: number | undefined;
}

/** An estimate, and the models it could not price. */
export interface CostEstimate {
  usd: number;
  /** Models with tokens and no price (their tokens are not in `usd`). */
  unpriced: string[];
}

/**
 * The price of a model: under its full id (`anthropic:claude-sonnet-4-5`), else under the
 * model's own name (`claude-sonnet-4-5`).
 */
export function priceOf(
  prices: Readonly<Record<string, ModelPrice>>,
  model: string,
): ModelPrice | undefined {
  const colon = model.indexOf(":");
  return prices[model] ?? (colon === -1 ? undefined : prices[model.slice(colon + 1)]);
}

/**
 * Estimates what tokens cost. A cache price not given is the input price (the most the
 * provider could charge for those tokens as plain input).
 *
 * @param byModel Tokens by model id
 * @param prices The configured prices
 *
 * @example
 * ```ts
 * estimateCost(new Map([["anthropic:m", { input: 1e6, output: 0, cache_read: 0, cache_write: 0 }]]),
 *   { m: { input: 3, output: 15 } }); // { usd: 3, unpriced: [] }
 * ```
 */
export function estimateCost(
  byModel: ReadonlyMap<string, TokenTotals>,
  prices: Readonly<Record<string, ModelPrice>>,
): CostEstimate {
  let usd = 0;
  const unpriced: string[] = [];
  for (const [model, tokens] of byModel) {
    const price = priceOf(prices, model);
    if (price === undefined) {
      if (tokens.input + tokens.output + tokens.cache_read + tokens.cache_write > 0) {
        unpriced.push(model);
      }
      continue;
    }
    usd += (tokens.input * price.input + tokens.output * price.output +
      tokens.cache_read * (price.cache_read ?? price.input) +
      tokens.cache_write * (price.cache_write ?? price.input)) / 1e6;
  }
  return { usd, unpriced: unpriced.sort() };
}

/** `$0.0123` (four decimals below a cent, else two). */
export function formatUsd(usd: number): string {
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
