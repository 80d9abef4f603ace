/** What a scrubbed secret is replaced with. */
export const REDACTED = "********";

/**
 * Builds a function that replaces every occurrence of the given secret values in a text
 * with `********`, for logs and error messages. Empty values are ignored; longer secrets
 * are replaced first so one secret containing another is hidden whole.
 *
 * @param secrets The secret values, e.g. {@linkcode LoadedConfig.secrets}.
 * @returns `(text) => text` with the secrets hidden.
 * @example
 * ```ts
 * const scrub = secretScrubber(["hunter2"]);
 * scrub("password=hunter2"); // "password=********"
 * ```
 */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets.filter((secret) => secret !== ""))]
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) {
    return function scrubNothing(text) {
      return text;
    };
  }
  const pattern = new RegExp(
    values.map((value) => value.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")).join("|"),
    "g",
  );
  return function scrubSecrets(text) {
    return text.replace(pattern, REDACTED);
  };
}
