/**
 * When a schedule runs: once at an instant, every fixed interval from an anchor, or on a
 * cron expression in a time zone. Pure functions of the rule and the instants given.
 *
 * @module
 */
import type { CronRule } from "./cron_rule.ts";
import { formatEvery } from "./every.ts";

/** A schedule's rule. */
export type Recurrence =
  | { type: "once"; at: Date }
  /** Runs at `anchor + k × everyMs` for k ≥ 1: a fixed grid, so lateness never drifts. */
  | { type: "every"; everyMs: number; anchor: Date }
  | { type: "cron"; rule: CronRule };

/** The first run strictly after `after`, or `null` when the rule has no more runs. */
export function nextRun(recurrence: Recurrence, after: Date): Date | null {
  switch (recurrence.type) {
    case "once":
      return recurrence.at.getTime() > after.getTime() ? recurrence.at : null;
    case "every": {
      const { everyMs, anchor } = recurrence;
      const steps = Math.max(1, Math.floor((after.getTime() - anchor.getTime()) / everyMs) + 1);
      return new Date(anchor.getTime() + steps * everyMs);
    }
    case "cron":
      return recurrence.rule.next(after);
  }
}

/**
 * The latest run in `(after, atOrBefore]`, or `null` when none falls there: the one run a
 * schedule owes after missing some. Cron rules are stepped forward from `after`, so callers
 * keep the window short (the missed-run grace).
 */
export function latestRun(recurrence: Recurrence, after: Date, atOrBefore: Date): Date | null {
  const end = atOrBefore.getTime();
  if (recurrence.type === "every") {
    const { everyMs, anchor } = recurrence;
    const steps = Math.floor((end - anchor.getTime()) / everyMs);
    const last = anchor.getTime() + steps * everyMs;
    return steps >= 1 && last > after.getTime() ? new Date(last) : null;
  }
  let found: Date | null = null;
  for (let run = nextRun(recurrence, after); run !== null && run.getTime() <= end;) {
    found = run;
    run = nextRun(recurrence, run);
  }
  return found;
}

/** Whether the rule runs more than once. */
export function isRecurring(recurrence: Recurrence): boolean {
  return recurrence.type !== "once";
}

/** The rule in a few words: `once at …`, `every 30m`, `cron "0 9 * * 1-5" (Europe/Paris)`. */
export function describeRecurrence(recurrence: Recurrence): string {
  switch (recurrence.type) {
    case "once":
      return `once at ${recurrence.at.toISOString()}`;
    case "every":
      return `every ${formatEvery(recurrence.everyMs)}`;
    case "cron":
      return `cron "${recurrence.rule.expression}" (${recurrence.rule.timeZone})`;
  }
}

/**
 * The shortest gap between the next `count` runs after `from`: how often a rule runs at most,
 * checked against the minimum interval of users' recurring tasks.
 */
export function shortestGap(recurrence: Recurrence, from: Date, count = 50): number {
  if (recurrence.type === "every") return recurrence.everyMs;
  let shortest = Infinity;
  let previous = nextRun(recurrence, from);
  for (let i = 1; i < count && previous !== null; i++) {
    const run = nextRun(recurrence, previous);
    if (run === null) break;
    shortest = Math.min(shortest, run.getTime() - previous.getTime());
    previous = run;
  }
  return shortest;
}
