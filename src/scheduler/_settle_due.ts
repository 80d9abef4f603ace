/**
 * Deciding what a schedule owes when its time has come, or once the agent is back: the
 * latest run inside the window, once; never the runs before it.
 *
 * @module
 */
import type { Entry } from "./_entry.ts";
import { latestRun, nextRun } from "./recurrence.ts";

/** What {@linkcode settleDue} decided. */
export interface Settled {
  /** Each entry owing a run, with the run's instant, earliest first. */
  owed: [Entry, Date][];
  /** Entries that passed over runs: from `first`, up to `run` (owed) or all of them (`null`). */
  missed: { entry: Entry; first: Date; run: Date | null }[];
  /** Users' one-time tasks with nothing left to run, to be removed. */
  spent: Entry[];
}

/**
 * Settles every entry whose next run has come at `now`: the latest run no older than
 * `windowMs` (and after what is done) is owed once, older ones are skipped. Each settled
 * entry's `doneUntil`, `lastRun` and `next` are moved on.
 */
export function settleDue(entries: Iterable<Entry>, now: Date, windowMs: number): Settled {
  const settled: Settled = { owed: [], missed: [], spent: [] };
  const due = [...entries]
    .filter((entry) => entry.next !== null && entry.next.getTime() <= now.getTime())
    .sort((a, b) => a.next!.getTime() - b.next!.getTime() || a.id.localeCompare(b.id));
  for (const entry of due) {
    const first = entry.next!;
    const from = new Date(Math.max(entry.doneUntil.getTime(), now.getTime() - windowMs));
    const run = latestRun(entry.recurrence, from, now);
    if (run === null || first.getTime() < run.getTime()) settled.missed.push({ entry, first, run });
    entry.doneUntil = run ?? now;
    if (run !== null) {
      entry.lastRun = run;
      settled.owed.push([entry, run]);
    }
    entry.next = nextRun(entry.recurrence, entry.doneUntil);
    if (entry.next === null && entry.origin === "user") settled.spent.push(entry);
  }
  return settled;
}
