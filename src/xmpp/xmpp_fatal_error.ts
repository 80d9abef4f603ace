/**
 * The error that ends a connection's `run()`.
 *
 * @module
 */

/**
 * A failure that retrying cannot fix: bad credentials or component secret, refused
 * plaintext, a rejected certificate. `run()` rejects with it and stops reconnecting.
 */
export class XmppFatalError extends Error {
  override name = "XmppFatalError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
