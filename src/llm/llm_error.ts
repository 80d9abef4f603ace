/**
 * The one error type the LLM layer throws for provider failures.
 *
 * @module
 */

/** What went wrong, in terms a caller can act on. */
export type LlmErrorKind =
  | "auth"
  | "rate_limit"
  | "overloaded"
  | "server"
  | "network"
  | "timeout"
  | "bad_request"
  /** The provider does not know the model (HTTP 404): not something a retry fixes. */
  | "not_found"
  /** Deno refused the access (NotCapable/PermissionDenied): the process may not reach the host. */
  | "permission";

/** Options of {@linkcode LlmError}. */
export interface LlmErrorOptions {
  kind: LlmErrorKind;
  /** The HTTP status, when the provider answered. */
  status?: number;
  /** Whether trying again may help. @default {true for rate_limit, overloaded, server, network} */
  retryable?: boolean;
  /** How long the provider asked us to wait (`retry-after`), in milliseconds. */
  retry_after_ms?: number;
  /** The answer was being streamed and broke off after part of it was handed on. @default {false} */
  cut_off?: boolean;
  cause?: unknown;
}

const RETRYABLE_KINDS: ReadonlySet<LlmErrorKind> = new Set([
  "rate_limit",
  "overloaded",
  "server",
  "network",
]);

/**
 * A failed LLM call. The message is short and never holds the provider's response body or the
 * API key; the original error is kept in `cause` for debugging.
 *
 * @example
 * ```ts
 * try {
 *   await client.chat(request);
 * } catch (error) {
 *   if (error instanceof LlmError && error.kind === "auth") console.error(error.message);
 * }
 * ```
 */
export class LlmError extends Error {
  override name = "LlmError";
  readonly kind: LlmErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retry_after_ms: number | undefined;
  /** Part of a streamed answer was handed on before the failure: nothing may retry it. */
  readonly cut_off: boolean;

  /**
   * @param message A short description, without response bodies or secrets
   * @param options The kind of failure and its details
   */
  constructor(message: string, options: LlmErrorOptions) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(options.kind);
    this.retry_after_ms = options.retry_after_ms;
    this.cut_off = options.cut_off ?? false;
  }

  /**
   * The same failure, marked as one that broke a streamed answer off midway (not retryable).
   *
   * @param error The failure of a call that had handed on part of its answer
   */
  static cutOff(error: LlmError): LlmError {
    if (error.cut_off) return error;
    return new LlmError(error.message, {
      kind: error.kind,
      ...(error.status === undefined ? {} : { status: error.status }),
      retryable: false,
      cut_off: true,
      cause: error.cause,
    });
  }
}
