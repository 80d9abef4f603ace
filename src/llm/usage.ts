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

  /**
   * Adds one successful call.
   *
   * @param usage The tokens the provider reported for it
   */
  record(usage: Usage): void {
    this.#calls++;
    this.#input += usage.input_tokens;
    this.#output += usage.output_tokens;
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
    };
  }
}
