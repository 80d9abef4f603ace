/** Options for {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /**
   * The clock, in milliseconds.
   * @default {Date.now}
   */
  now?: () => number;
}

/**
 * A token bucket: up to `perMinute` requests at once, then one more each `60 / perMinute`
 * seconds. A burst that a sender saved up for is served at once; a steady flood is held to
 * the rate.
 *
 * @example
 * ```ts
 * const limit = new RateLimiter(60);
 * const taken = limit.take();
 * if (!taken.ok) return new Response(null, { status: 429, headers: { "Retry-After": String(taken.retryAfterSecs) } });
 * ```
 */
export class RateLimiter {
  #capacity: number;
  #perMs: number;
  #now: () => number;
  #tokens: number;
  #at: number;

  /**
   * @param perMinute Requests allowed a minute (and at once).
   * @throws {RangeError} When `perMinute` is not a positive number.
   */
  constructor(perMinute: number, options: RateLimiterOptions = {}) {
    if (!(perMinute > 0)) throw new RangeError(`Expected a positive rate, got ${perMinute}`);
    this.#capacity = perMinute;
    this.#perMs = perMinute / 60_000;
    this.#now = options.now ?? Date.now;
    this.#tokens = perMinute;
    this.#at = this.#now();
  }

  /**
   * Takes one request's token.
   *
   * @returns `ok`, or when to try again: whole seconds until a token is there.
   */
  take(): { ok: true } | { ok: false; retryAfterSecs: number } {
    const now = this.#now();
    // A clock that goes back refills nothing.
    const elapsed = Math.max(0, now - this.#at);
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#perMs);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSecs: Math.max(1, Math.ceil((1 - this.#tokens) / this.#perMs / 1000)),
    };
  }
}
