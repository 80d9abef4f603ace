/**
 * A user's request for when a task runs, checked against the limits users have: a one-time
 * task at least a minute ahead, a recurring one at least a minute between runs.
 *
 * @module
 */
import { CronRule } from "./cron_rule.ts";
import { parseEvery } from "./every.ts";
import { parseDateTime } from "./parse_date_time.ts";
import { type Recurrence, shortestGap } from "./recurrence.ts";
import { ScheduleRequestError } from "./schedule_request_error.ts";

/** How far ahead a one-time task may be: beyond, a date is surely a mistake. */
const MAX_AHEAD_MS = 10 * 366 * 86_400_000;

/** When a user's task runs: exactly one of these. */
export type TaskTiming =
  /** Once, at an ISO-8601 date-time (without offset: wall time in the scheduler's zone). */
  | { at: string | Date }
  /** Once, this many seconds from now. */
  | { inSeconds: number }
  /** On a five-field cron expression, in `tz` (default: the scheduler's zone). */
  | { cron: string; tz?: string | undefined }
  /** Every interval (`"30m"`, `"1h30m"`), from now. */
  | { every: string };

/** The limits and defaults a timing is read with. */
export interface TimingRules {
  now: Date;
  /** The zone of a cron expression without `tz`, and of a date-time without offset. */
  timeZone: string;
  /** How far ahead a one-time task must be, and how far apart recurring runs. */
  minimumMs: number;
}

/**
 * Reads a timing into a rule.
 *
 * @throws {ScheduleRequestError} With a sentence saying what is wrong.
 */
export function userRecurrence(timing: TaskTiming, rules: TimingRules): Recurrence {
  const { now, minimumMs } = rules;
  const minimum = `${Math.round(minimumMs / 1000)} seconds`;
  const keys = ["at", "inSeconds", "cron", "every"].filter((key) =>
    (timing as Record<string, unknown>)[key] !== undefined
  );
  if (keys.length !== 1) {
    throw new ScheduleRequestError(
      "bad_request",
      "Give exactly one of at (a date-time), in_seconds or cron",
    );
  }
  if ("at" in timing && timing.at !== undefined) {
    const at = timing.at instanceof Date ? timing.at : parseDateTime(timing.at, rules.timeZone);
    if (at === undefined || Number.isNaN(at.getTime())) {
      throw new ScheduleRequestError(
        "bad_time",
        `${JSON.stringify(String(timing.at))} is not an ISO-8601 date-time: ` +
          'expected one like "2026-03-30T09:00:00+02:00"',
      );
    }
    const ahead = at.getTime() - now.getTime();
    if (ahead <= 0) {
      throw new ScheduleRequestError(
        "past",
        `${at.toISOString()} is in the past (it is now ${now.toISOString()})`,
      );
    }
    if (ahead > MAX_AHEAD_MS) {
      throw new ScheduleRequestError(
        "too_far",
        `${at.toISOString()} is more than 10 years ahead: a task must run within 10 years`,
      );
    }
    if (ahead < minimumMs) {
      throw new ScheduleRequestError(
        "too_soon",
        `${at.toISOString()} is only ${Math.floor(ahead / 1000)} seconds ahead: a one-time ` +
          `task must be at least ${minimum} ahead`,
      );
    }
    return { type: "once", at };
  }
  if ("inSeconds" in timing && timing.inSeconds !== undefined) {
    const seconds = timing.inSeconds;
    if (typeof seconds !== "number" || !Number.isInteger(seconds)) {
      throw new ScheduleRequestError("bad_request", "in_seconds must be a whole number of seconds");
    }
    if (seconds * 1000 < minimumMs) {
      throw new ScheduleRequestError(
        "too_soon",
        `in_seconds is ${seconds}: a one-time task must be at least ${minimum} ahead`,
      );
    }
    if (seconds * 1000 > MAX_AHEAD_MS) {
      throw new ScheduleRequestError(
        "too_far",
        `in_seconds is ${seconds}, more than 10 years: a task must run within 10 years`,
      );
    }
    return { type: "once", at: new Date(now.getTime() + seconds * 1000) };
  }
  let recurrence: Recurrence;
  if ("cron" in timing && timing.cron !== undefined) {
    try {
      recurrence = { type: "cron", rule: CronRule.parse(timing.cron, timing.tz ?? rules.timeZone) };
    } catch (error) {
      throw new ScheduleRequestError("bad_cron", (error as Error).message, { cause: error });
    }
  } else {
    try {
      recurrence = {
        type: "every",
        everyMs: parseEvery((timing as { every: string }).every),
        anchor: now,
      };
    } catch (error) {
      throw new ScheduleRequestError("bad_every", (error as Error).message, { cause: error });
    }
  }
  const gap = shortestGap(recurrence, now);
  if (gap < minimumMs) {
    throw new ScheduleRequestError(
      "too_frequent",
      `It would run every ${Math.round(gap / 1000)} seconds: recurring runs must be at least ` +
        `${minimum} apart`,
    );
  }
  return recurrence;
}
