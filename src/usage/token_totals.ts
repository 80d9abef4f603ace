/**
 * Token counts as the usage ledger keeps them, and their arithmetic.
 *
 * @module
 */

/** Tokens of one call, or summed over several. */
export interface TokenTotals {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

/** No tokens. */
export function emptyTotals(): TokenTotals {
  return { input: 0, output: 0, cache_read: 0, cache_write: 0 };
}

/** Adds `more` into `into` (mutating it) and returns it. */
export function addTotals(into: TokenTotals, more: TokenTotals): TokenTotals {
  into.input += more.input;
  into.output += more.output;
  into.cache_read += more.cache_read;
  into.cache_write += more.cache_write;
  return into;
}

/**
 * The tokens a quota counts: every token the provider reports, input, output and the prompt
 * cache's reads and writes alike.
 */
export function quotaTokens(totals: TokenTotals): number {
  return totals.input + totals.output + totals.cache_read + totals.cache_write;
}

/** The sum over models. */
export function sumTotals(byModel: ReadonlyMap<string, TokenTotals>): TokenTotals {
  const sum = emptyTotals();
  for (const totals of byModel.values()) addTotals(sum, totals);
  return sum;
}
