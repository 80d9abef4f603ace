/**
 * The `every` interval syntax of schedules: a number and a unit, largest unit first, units
 * written together: `"90s"`, `"30m"`, `"1h30m"`, `"1d"`, `"1d12h"`.
 *
 * @module
 */

const UNITS = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1_000]] as const;

const EVERY = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** The message of every error {@linkcode parseEvery} throws, after the value it found. */
export const EVERY_EXPECTED =
  'expected an interval like "90s", "30m", "1h30m" or "1d" (units d, h, m, s, largest first)';

/** Longest interval accepted: a year, far beyond any useful repetition. */
const MAX_EVERY_MS = 366 * 86_400_000;

/**
 * Parses an interval.
 *
 * @param text The interval, e.g. `"1h30m"`.
 * @returns The interval in milliseconds (a whole number of seconds, at least one).
 * @throws {TypeError} When `text` is not an interval, is zero or is longer than a year.
 *
 * @example
 * ```ts
 * parseEvery("1h30m"); // 5_400_000
 * ```
 */
export function parseEvery(text: string): number {
  const match = EVERY.exec(text.trim());
  if (match === null || text.trim() === "") {
    throw new TypeError(`Invalid interval ${JSON.stringify(text)}: ${EVERY_EXPECTED}`);
  }
  let ms = 0;
  UNITS.forEach(([, size], index) => {
    const value = match[index + 1];
    if (value !== undefined) ms += Number(value) * size;
  });
  if (ms === 0) throw new TypeError(`Invalid interval ${JSON.stringify(text)}: it is zero`);
  if (ms > MAX_EVERY_MS) {
    throw new TypeError(`Invalid interval ${JSON.stringify(text)}: longer than a year`);
  }
  return ms;
}

/**
 * Writes an interval in the syntax {@linkcode parseEvery} reads.
 *
 * @param ms A whole number of seconds, in milliseconds.
 * @example
 * ```ts
 * formatEvery(5_400_000); // "1h30m"
 * ```
 */
export function formatEvery(ms: number): string {
  let rest = Math.max(1, Math.round(ms / 1000)) * 1000;
  let text = "";
  for (const [unit, size] of UNITS) {
    const value = Math.floor(rest / size);
    rest -= value * size;
    if (value > 0) text += `${value}${unit}`;
  }
  return text;
}
