/**
 * The text of a caught value for a log line or a reply.
 *
 * @module
 */

/**
 * Returns what a caught value says: an `Error`'s message, or any other thrown value as a
 * string. `catch` hands over `unknown`, and a library may throw a string or a plain object.
 *
 * @example
 * ```ts
 * errorMessage(new TypeError("Bad port")); // "Bad port"
 * errorMessage("timed out"); // "timed out"
 * ```
 *
 * @param error The caught value.
 * @returns The `Error`'s message, or `String(error)` for anything else.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
