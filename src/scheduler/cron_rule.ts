/**
 * Five-field cron expressions in a time zone, computed by croner (a maintained library that
 * knows time zones and daylight saving time). Only ever asked for the next run after a given
 * instant: croner's own timers are never started, so the scheduler's clock decides when
 * anything runs.
 *
 * @module
 */
import { Cron } from "croner";

/** The message of the errors {@linkcode CronRule.parse} throws for a malformed expression. */
export const CRON_EXPECTED =
  'expected a five-field cron expression "minute hour day-of-month month day-of-week", ' +
  'like "0 9 * * 1-5"';

/**
 * Whether `zone` is an IANA time zone this runtime knows, and its canonical spelling.
 *
 * @returns The zone as the runtime spells it (`"europe/paris"` → `"Europe/Paris"`), or
 * `undefined` for an unknown zone.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (zone.trim() === "") return undefined;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The machine's time zone (`TZ`, else the system's), the default of every schedule. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A validated five-field cron expression bound to a time zone. */
export class CronRule {
  /** The expression as given, fields separated by single spaces. */
  readonly expression: string;
  /** The IANA time zone its fields are read in. */
  readonly timeZone: string;
  #cron: Cron;

  private constructor(expression: string, timeZone: string, cron: Cron) {
    this.expression = expression;
    this.timeZone = timeZone;
    this.#cron = cron;
  }

  /**
   * Validates and binds an expression.
   *
   * @param expression Five fields: minute, hour, day of month, month, day of week (croner's
   *   syntax: ranges, steps, lists, names like `MON` and `JAN`, `L`).
   * @param timeZone An IANA zone, e.g. `"Europe/Paris"`.
   * @throws {TypeError} When the expression does not have five fields or croner refuses it,
   *   when it never runs (`"0 0 30 2 *"`), or when the zone is unknown.
   *
   * @example
   * ```ts
   * const rule = CronRule.parse("0 9 * * 1-5", "Europe/Paris");
   * rule.next(new Date("2026-03-27T12:00:00Z")); // 2026-03-30T07:00:00.000Z (Monday 09:00)
   * ```
   */
  static parse(expression: string, timeZone: string): CronRule {
    const fields = expression.trim().split(/\s+/).filter((field) => field !== "");
    const shown = JSON.stringify(expression);
    if (fields.length !== 5) {
      const count = `${fields.length} field${fields.length === 1 ? "" : "s"}`;
      throw new TypeError(`Invalid cron expression ${shown} (${count}): ${CRON_EXPECTED}`);
    }
    const zone = canonicalTimeZone(timeZone);
    if (zone === undefined) {
      throw new TypeError(
        `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA zone like "Europe/Paris"`,
      );
    }
    const normalised = fields.join(" ");
    let cron: Cron;
    try {
      cron = new Cron(normalised, { paused: true, timezone: zone, mode: "5-part" });
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : "";
      throw new TypeError(`Invalid cron expression ${shown}: ${detail || CRON_EXPECTED}`);
    }
    if (cron.nextRun(new Date()) === null) {
      throw new TypeError(`Invalid cron expression ${shown}: it never runs`);
    }
    return new CronRule(normalised, zone, cron);
  }

  /** The first run strictly after `after`, or `null` when there is none. */
  next(after: Date): Date | null {
    return this.#cron.nextRun(after);
  }
}
