/**
 * ISO-8601 date-times as people and LLMs write them: `2026-03-30T09:00:00+02:00`,
 * `2026-03-30T07:00Z`, or without an offset, `2026-03-30 09:00`, read as wall time in a given
 * time zone.
 *
 * @module
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads an ISO-8601 date-time.
 *
 * @param text A date and a time (seconds and offset optional).
 * @param timeZone The IANA zone a time without offset is wall time in.
 * @returns The instant, or `undefined` when `text` is not a valid date-time (`2026-02-30`,
 *   `25:00`, a date alone, free text).
 *
 * @example
 * ```ts
 * parseDateTime("2026-03-30 09:00", "Europe/Paris"); // 2026-03-30T07:00:00.000Z
 * ```
 */
export function parseDateTime(text: string, timeZone: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = "0", fraction = "0", offset] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, Number(`0.${fraction}`) * 1000);
  const back = new Date(wall);
  // Date.UTC rolls over (February 30 → March 2); a valid date-time comes back unchanged.
  if (
    back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d ||
    back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s
  ) return undefined;
  if (offset !== undefined) {
    if (offset.toUpperCase() === "Z") return back;
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
    if (minutes > 18 * 60) return undefined;
    return new Date(wall - sign * minutes * 60_000);
  }
  // Wall time in the zone: take the zone's offset at the guess, then again at the result,
  // which settles on the right side of a daylight saving change.
  let instant = wall - zoneOffset(timeZone, wall);
  instant = wall - zoneOffset(timeZone, instant);
  return new Date(instant);
}

/** The zone's offset from UTC at `instant`, in milliseconds (Paris in summer: +7,200,000). */
export function zoneOffset(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}
