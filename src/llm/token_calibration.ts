/**
 * Corrects token estimates per model from what the provider reports: each answered call says
 * how many input tokens the request really was (`input_tokens`, plus the cached ones on
 * Anthropic), and the ratio to the estimate is followed as a moving average, so that estimates
 * converge on each model's own count within a few calls.
 *
 * @module
 */
import type { Usage } from "./types.ts";

/** Options of {@linkcode TokenCalibration}. */
export interface TokenCalibrationOptions {
  /** Weight of the newest observation in the moving average. @default {0.5} */
  weight?: number;
}

/** The extremes a correction may reach: beyond them an observation is taken as noise. */
const MIN_FACTOR = 0.25;
const MAX_FACTOR = 4;

/**
 * The correction factor of each model, learnt from its answers.
 *
 * @example
 * ```ts
 * const calibration = new TokenCalibration();
 * calibration.observe("anthropic:claude-sonnet-4-5", 1000, response.usage);
 * calibration.correct("anthropic:claude-sonnet-4-5", 2000); // 2000 × the learnt ratio
 * ```
 */
export class TokenCalibration {
  #factors = new Map<string, number>();
  #weight: number;

  constructor(options: TokenCalibrationOptions = {}) {
    this.#weight = options.weight ?? 0.5;
    if (!(this.#weight > 0 && this.#weight <= 1)) {
      throw new RangeError(`Invalid calibration weight ${this.#weight}: expected (0, 1]`);
    }
  }

  /**
   * Learns from one call.
   *
   * @param model The model that answered (`provider:model`).
   * @param estimated The estimate of the request's input.
   * @param usage What the provider reported.
   */
  observe(model: string, estimated: number, usage: Usage): void {
    const real = promptTokens(usage);
    // A provider that reports nothing (0) teaches nothing.
    if (estimated <= 0 || real <= 0) return;
    const ratio = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, real / estimated));
    const previous = this.#factors.get(model);
    this.#factors.set(
      model,
      previous === undefined ? ratio : previous + this.#weight * (ratio - previous),
    );
  }

  /** The factor learnt for a model; 1 before its first answer. */
  factor(model: string): number {
    return this.#factors.get(model) ?? 1;
  }

  /** An estimate corrected for a model, rounded up. */
  correct(model: string, estimated: number): number {
    return Math.ceil(estimated * this.factor(model));
  }
}

/** The whole input of a call as the provider counted it, cached tokens included. */
export function promptTokens(usage: Usage): number {
  return usage.input_tokens + (usage.cache_write_tokens ?? 0) +
    (usage.cache_read_tokens ?? 0);
}
