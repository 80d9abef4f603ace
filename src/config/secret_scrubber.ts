/** What a scrubbed secret is replaced with. */
export const REDACTED = "********";

/** Secrets shorter than this are not searched for in logs. */
export const MIN_SCRUBBED_LENGTH = 4;

/**
 * Builds a function that replaces every occurrence of the given secret values in a text
 * with `********`, for logs and error messages. Longer secrets are replaced first so one
 * secret containing another is hidden whole. Values shorter than
 * {@linkcode MIN_SCRUBBED_LENGTH} characters are ignored: masking every `x` of a log
 * would make it unreadable and, by its pattern, reveal the secret anyway.
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
  const values = [...new Set(secrets.filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH))]
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
