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

/** A failed fetch: the message says what happened, `code` says it for programs. */
export class SafeFetchError extends Error {
  override name = "SafeFetchError";
  /** What went wrong. */
  readonly code: SafeFetchErrorCode;
  /** The URL of the hop that failed. */
  readonly url: string;
  /** The final HTTP status, when there was one. */
  readonly status: number | undefined;

  /**
   * @param code What went wrong.
   * @param url The URL of the hop that failed.
   * @param message A sentence for people, e.g. `Body of "https://x/y" is over the 25 MiB limit`.
   * @param options The status and cause.
   */
  constructor(
    code: SafeFetchErrorCode,
    url: string,
    message: string,
    options: SafeFetchErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.url = url;
    this.status = options.status;
  }
}
