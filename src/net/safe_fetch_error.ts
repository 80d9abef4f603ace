/**
 * A fetch that the network policy allowed but that did not succeed.
 *
 * @module
 */

/** What went wrong; a refusal by policy is a `BlockedUrlError` instead. */
export type SafeFetchErrorCode =
  /** The body is larger than the limit (by Content-Length or while streaming). */
  | "too_large"
  /** No answer within the connect timeout, or the whole fetch took longer than allowed. */
  | "timeout"
  /** The final answer's status is not 2xx. */
  | "status"
  /** More redirects than allowed, or a redirect without a usable Location. */
  | "redirects"
  /** The connection failed (refused, reset, TLS error…). */
  | "network"
  /** The caller's signal aborted it. */
  | "aborted"
  /** Writing the body to its file failed. */
  | "file";

/** Options of {@linkcode SafeFetchError}. */
export interface SafeFetchErrorOptions {
  /** The final HTTP status, when there was one. */
  status?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failed fetch. The message reads `Cannot fetch "<url>": <reason>`, e.g.
 * `Cannot fetch "https://x.example/a.png": larger than the 25 MiB limit`; `code` says it for
 * programs.
 */
export class SafeFetchError extends Error {
  override name = "SafeFetchError";
  /** What went wrong. */
  readonly code: SafeFetchErrorCode;
  /** The URL of the hop that failed. */
  readonly url: string;
  /** What happened, without the URL, e.g. `"no answer within 10 s"` or `"HTTP 404"`. */
  readonly reason: string;
  /** The final HTTP status, when there was one. */
  readonly status: number | undefined;

  /**
   * @param code What went wrong.
   * @param url The URL of the hop that failed.
   * @param reason What happened, e.g. `"larger than the 25 MiB limit"`.
   * @param options The status and cause.
   */
  constructor(
    code: SafeFetchErrorCode,
    url: string,
    reason: string,
    options: SafeFetchErrorOptions = {},
  ) {
    super(`Cannot fetch "${url}": ${reason}`, { cause: options.cause });
    this.reason = reason;
    this.code = code;
    this.url = url;
    this.status = options.status;
  }
}
