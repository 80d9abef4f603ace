/**
 * Maps HTTP statuses and transport failures to {@linkcode LlmError}s with short messages that
 * never include response bodies or credentials.
 *
 * @module
 */
import { LlmError } from "../llm_error.ts";

/** Options of {@linkcode errorFromStatus}. */
export interface StatusErrorOptions {
  /** The response headers (for `retry-after`). */
  headers?: Headers | undefined;
  cause?: unknown;
  /** The model asked for, named in a 404's message. */
  model?: string;
  /**
   * The provider's error code (Anthropic's `error.type`, e.g. `authentication_error`), shown
   * when it is a plain identifier: a code, unlike the body's text, cannot carry anything else.
   */
  code?: unknown;
  /**
   * What came instead of the API's JSON error, e.g. `text/html, 1234 bytes` (a proxy's page):
   * its shape, never its text.
   */
  answer?: string;
}

/**
 * Builds the error for a non-2xx answer.
 *
 * @param provider The provider name used in the message
 * @param status The HTTP status
 * @param options Headers, cause, the model and the provider's error code
 */
export function errorFromStatus(
  provider: string,
  status: number,
  options: StatusErrorOptions = {},
): LlmError {
  const who = `LLM provider "${provider}"`;
  const code = typeof options.code === "string" && /^[a-z][a-z0-9_]{0,63}$/.test(options.code)
    ? `, ${options.code}`
    : "";
  const answer = options.answer === undefined ? "" : `, not the API's JSON: ${options.answer}`;
  const base = { status, cause: options.cause } as const;
  const retry_after_ms = parseRetryAfter(options.headers);
  const wait = retry_after_ms === undefined ? {} : { retry_after_ms };
  if (status === 401 || status === 403) {
    return new LlmError(`${who} rejected the credentials (HTTP ${status}${code}${answer})`, {
      kind: "auth",
      ...base,
    });
  }
  if (status === 429) {
    return new LlmError(`${who} is rate limiting requests (HTTP 429${answer})`, {
      kind: "rate_limit",
      ...base,
      ...wait,
    });
  }
  if (status === 529 || status === 503) {
    return new LlmError(`${who} is overloaded (HTTP ${status}${answer})`, {
      kind: "overloaded",
      ...base,
      ...wait,
    });
  }
  if (status >= 500) {
    return new LlmError(`${who} failed with a server error (HTTP ${status}${answer})`, {
      kind: "server",
      ...base,
      ...wait,
    });
  }
  if (status === 408) {
    return new LlmError(`${who} timed out the request (HTTP 408${answer})`, {
      kind: "timeout",
      ...base,
    });
  }
  if (status === 404) {
    const what = options.model === undefined ? "the model" : `the model "${options.model}"`;
    return new LlmError(`${who} does not know ${what} (HTTP 404${code}${answer})`, {
      kind: "not_found",
      ...base,
    });
  }
  return new LlmError(`${who} rejected the request (HTTP ${status}${code}${answer})`, {
    kind: "bad_request",
    ...base,
  });
}

/**
 * Builds the error for a request that got no HTTP answer: refused by Deno's permissions, or a
 * connection failure.
 *
 * @param provider The provider name used in the message
 * @param host The endpoint; only its origin appears in the message
 * @param cause The original error
 */
export function errorFromFailure(provider: string, host: string, cause: unknown): LlmError {
  const where = `LLM provider "${provider}" at "${originOf(host)}"`;
  if (isPermissionError(cause)) {
    return new LlmError(`Not permitted to reach ${where}: the process lacks --allow-net for it`, {
      kind: "permission",
      cause,
    });
  }
  return new LlmError(`Cannot reach ${where}`, { kind: "network", cause });
}

/**
 * Whether an error, or one of its causes, is Deno refusing a permission.
 *
 * @param error Any thrown value
 */
export function isPermissionError(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current.name === "NotCapable" || current.name === "PermissionDenied") return true;
    // fetch inside a narrowed Worker rejects with a TypeError naming the permission.
    if (/\bRequires (net|env|sys|read) access\b/.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date), in milliseconds.
 *
 * @param headers Response headers, if any
 * @param now The current time in epoch milliseconds @default {Date.now()}
 */
export function parseRetryAfter(
  headers: Headers | undefined,
  now = Date.now(),
): number | undefined {
  const millis = Number(headers?.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The scheme, host and port of a URL, without any credentials or path. */
export function originOf(host: string): string {
  try {
    return new URL(host).origin;
  } catch {
    return "(invalid URL)";
  }
}
