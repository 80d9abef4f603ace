/**
 * Counts calls and tokens across every LLM call of a client (or several clients sharing it).
 *
 * @module
 */
import type { Usage } from "./types.ts";

/** Totals kept by a {@linkcode UsageMeter}. */
export interface UsageTotals {
  /** Calls that returned an answer. */
  calls: number;
  /** Calls that failed after their retries. */
  failed_calls: number;
  input_tokens: number;
  output_tokens: number;
  /** Input tokens written to a prompt cache (present once a provider reported some). */
  cache_write_tokens?: number;
  /** Input tokens read from a prompt cache (present once a provider reported some). */
  cache_read_tokens?: number;
  /** Which model answered the last successful call, when a model router recorded it. */
  last_answer?: ModelAnswer;
}

/** Which model answered a call, and why that one. */
export interface ModelAnswer {
  /** The model id, `provider:model`. */
  model: string;
  /** The tier the call asked for. */
  tier: string;
  /** The model the tier names, when a fallback answered in its place. */
  instead_of?: string;
}

/**
 * A running total of LLM usage. The client made by `createLlmClient` records into it.
 *
 * @example
 * ```ts
 * const usage = new UsageMeter();
 * const client = createLlmClient(settings, { usage });
 * await client.chat(request);
 * console.log(usage.totals().output_tokens);
 * ```
 */
export class UsageMeter {
  #calls = 0;
  #failed = 0;
  #input = 0;
  #output = 0;
  #cacheWritten: number | undefined;
  #cacheRead: number | undefined;
  #last: ModelAnswer | undefined;

  /**
   * Adds one successful call.
   *
   * @param usage The tokens the provider reported for it
   * @param answer Which model answered (a model router says)
   */
  record(usage: Usage, answer?: ModelAnswer): void {
    if (answer !== undefined) this.#last = { ...answer };
    this.#calls++;
    this.#input += usage.input_tokens;
    this.#output += usage.output_tokens;
    if (usage.cache_write_tokens !== undefined) {
      this.#cacheWritten = (this.#cacheWritten ?? 0) + usage.cache_write_tokens;
    }
    if (usage.cache_read_tokens !== undefined) {
      this.#cacheRead = (this.#cacheRead ?? 0) + usage.cache_read_tokens;
    }
  }

  /** Adds one call that failed. */
  recordFailure(): void {
    this.#failed++;
  }

  /** Returns a copy of the totals so far. */
  totals(): UsageTotals {
    return {
      calls: this.#calls,
      failed_calls: this.#failed,
      input_tokens: this.#input,
      output_tokens: this.#output,
      ...(this.#cacheWritten === undefined ? {} : { cache_write_tokens: this.#cacheWritten }),
      ...(this.#cacheRead === undefined ? {} : { cache_read_tokens: this.#cacheRead }),
      ...(this.#last === undefined ? {} : { last_answer: { ...this.#last } }),
    };
  }
}
