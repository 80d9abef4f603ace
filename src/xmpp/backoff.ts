/**
 * Reconnection delays: exponential backoff with a cap, reset after a connection that
 * lasted long enough to count as healthy.
 *
 * @module
 */

/** Options for {@linkcode Backoff}. */
export interface BackoffOptions {
  /** First delay in milliseconds. @default {2000} */
  initialMs?: number;
  /** Largest delay in milliseconds. @default {60000} */
  maxMs?: number;
  /** A connection that lasted this long resets the delay. @default {60000} */
  resetAfterMs?: number;
}

/**
 * Computes reconnection delays: 2 s, 4 s, 8 s … up to 60 s, back to 2 s after a
 * connection that stayed up for 60 s.
 *
 * @example
 * ```ts
 * const backoff = new Backoff();
 * backoff.next(); // 2000
 * backoff.next(); // 4000
 * ```
 */
export class Backoff {
  #initialMs: number;
  #maxMs: number;
  #resetAfterMs: number;
  #attempt = 0;
  #connectedAt: number | undefined;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 2000;
    this.#maxMs = options.maxMs ?? 60_000;
    this.#resetAfterMs = options.resetAfterMs ?? 60_000;
  }

  /** Records that a connection came up at `now` (milliseconds). */
  connected(now: number): void {
    this.#connectedAt = now;
  }

  /** Records that the connection went down at `now`; a long-lived one resets the delay. */
  disconnected(now: number): void {
    if (this.#connectedAt !== undefined && now - this.#connectedAt >= this.#resetAfterMs) {
      this.#attempt = 0;
    }
    this.#connectedAt = undefined;
  }

  /** Returns the delay before the next attempt and advances. */
  next(): number {
    const delay = Math.min(this.#initialMs * 2 ** this.#attempt, this.#maxMs);
    if (delay < this.#maxMs) this.#attempt++;
    return delay;
  }
}
