/**
 * Retries with exponential backoff and jitter, a per-attempt timeout, and `retry-after`.
 *
 * @module
 */
import { LlmError } from "./llm_error.ts";

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What {@linkcode RetryOptions.on_retry} learns before each wait. */
export interface RetryInfo {
  /** The number of the retry about to happen, from 1. */
  retry: number;
  delay_ms: number;
  error: LlmError;
}

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /** Attempts after the first one. @default {2} */
  max_retries?: number;
  /** Time allowed to each attempt, in milliseconds; 0 means no limit. @default {0} */
  timeout_ms?: number;
  /** Aborts the attempt in flight and any wait; the call then rejects with its reason. */
  signal?: AbortSignal | undefined;
  /** The first backoff delay; each retry doubles it, with jitter. @default {500} */
  base_delay_ms?: number;
  /** The longest wait; a `retry-after` asking for more ends the retries. @default {30000} */
  max_delay_ms?: number;
  /** Waits between attempts. @default {an abortable setTimeout} */
  sleep?: Sleep;
  /** Source of jitter in [0, 1). @default {Math.random} */
  random?: () => number;
  /** Called before each wait, e.g. to log the retry. */
  on_retry?: (info: RetryInfo) => void;
  /** Builds the error thrown when an attempt times out. @default {a generic "timeout" LlmError} */
  timeout_error?: (timeout_ms: number, cause: unknown) => LlmError;
}

/**
 * Runs `attempt` until it succeeds, retrying {@linkcode LlmError}s that are `retryable`
 * (rate limits, overload, 5xx, network) with exponential backoff and jitter, or after the
 * `retry_after_ms` the provider asked for. Timeouts, auth and bad requests are not retried.
 *
 * @param attempt Makes one try; it must honour the signal it is given
 * @param options Retry and timeout settings
 * @returns The first successful result
 * @throws {LlmError} the last failure (kind "timeout" when an attempt ran out of time)
 * @throws the caller signal's reason when `options.signal` aborts
 *
 * @example
 * ```ts
 * const data = await retry((signal) => callApi(signal), { max_retries: 3, timeout_ms: 30_000 });
 * ```
 */
export async function retry<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const {
    max_retries = 2,
    timeout_ms = 0,
    signal,
    base_delay_ms = 500,
    max_delay_ms = 30_000,
    sleep = abortableSleep,
    random = Math.random,
    on_retry,
    timeout_error = defaultTimeoutError,
  } = options;
  for (let tries = 0;; tries++) {
    signal?.throwIfAborted();
    let failure: unknown;
    try {
      return await attemptWithTimeout(attempt, timeout_ms, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      failure = error instanceof AttemptTimeout ? timeout_error(timeout_ms, error.cause) : error;
    }
    if (!(failure instanceof LlmError) || !failure.retryable || tries >= max_retries) {
      throw failure;
    }
    const exponential = Math.min(max_delay_ms, base_delay_ms * 2 ** tries);
    const delay_ms = failure.retry_after_ms ?? Math.round(exponential * (0.5 + random() / 2));
    if (delay_ms > max_delay_ms) throw failure;
    on_retry?.({ retry: tries + 1, delay_ms, error: failure });
    await sleep(delay_ms, signal);
  }
}

class AttemptTimeout extends Error {}

async function attemptWithTimeout<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  timeout_ms: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  const timer = new AbortController();
  const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
  if (timeout_ms <= 0) return await attempt(combined);
  let id: ReturnType<typeof setTimeout> | undefined;
  // Race the attempt too, so an attempt that ignores its signal still cannot outlive the limit.
  const expired = new Promise<never>((_, reject) => {
    id = setTimeout(() => {
      const reason = new DOMException("The LLM call timed out", "TimeoutError");
      timer.abort(reason);
      reject(new AttemptTimeout("Attempt timed out", { cause: reason }));
    }, timeout_ms);
  });
  const running = attempt(combined);
  running.catch(() => {});
  try {
    return await Promise.race([running, expired]);
  } catch (error) {
    throw timer.signal.aborted && !(error instanceof AttemptTimeout)
      ? new AttemptTimeout("Attempt timed out", { cause: error })
      : error;
  } finally {
    clearTimeout(id);
  }
}

function defaultTimeoutError(timeout_ms: number, cause: unknown): LlmError {
  return new LlmError(`LLM call did not answer within ${timeout_ms / 1000} s`, {
    kind: "timeout",
    cause,
  });
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(id);
      reject(signal?.reason);
    };
    const id = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
