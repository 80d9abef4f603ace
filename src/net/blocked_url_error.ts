/**
 * The refusal of a URL by the network policy.
 *
 * @module
 */

/** Options of {@linkcode BlockedUrlError}. */
export interface BlockedUrlErrorOptions {
  /** What the operator can change to allow it, e.g. "set attachments.allow_private_hosts = true". */
  hint?: string;
  /** The underlying error, e.g. a failed DNS lookup. */
  cause?: unknown;
}

/**
 * A URL the policy refuses: a scheme, host or address that is not allowed.
 *
 * The message reads `Refused "<url>": <reason> (<hint>)`, e.g.
 * `Refused "http://127.0.0.1:8080/x": loopback address 127.0.0.1 (set
 * attachments.allow_private_hosts = true to allow private hosts)`.
 */
export class BlockedUrlError extends Error {
  override name = "BlockedUrlError";
  /** The refused URL (after redirects, the hop that was refused). */
  readonly url: string;
  /** Why, without the URL or the hint, e.g. `"loopback address 127.0.0.1"`. */
  readonly reason: string;
  /** What would allow it, when a setting can. */
  readonly hint: string | undefined;

  /**
   * @param url The refused URL.
   * @param reason Why, e.g. `"loopback address 127.0.0.1"`.
   * @param options A hint for the operator and the cause.
   */
  constructor(url: string, reason: string, options: BlockedUrlErrorOptions = {}) {
    const hint = options.hint === undefined ? "" : ` (${options.hint})`;
    super(`Refused "${url}": ${reason}${hint}`, { cause: options.cause });
    this.url = url;
    this.reason = reason;
    this.hint = options.hint;
  }
}
