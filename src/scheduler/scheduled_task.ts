/**
 * A schedule as people and tools see it.
 *
 * @module
 */
import type { Entry } from "./_entry.ts";
import { describeRecurrence, isRecurring } from "./recurrence.ts";

/** A schedule as shown to people and tools. */
export interface ScheduledTask {
  id: string;
  origin: "config" | "user";
  name?: string;
  conversation: string;
  thread?: string;
  createdBy?: string;
  kind: "prompt" | "text";
  text: string;
  /** The rule in words: `once at …`, `every 30m`, `cron "0 9 * * 1-5" (Europe/Paris)`. */
  rule: string;
  recurring: boolean;
  /** The next run (ISO), `null` when there is none. */
  nextRun: string | null;
  /** The last run's scheduled instant (ISO). */
  lastRun?: string;
  created: string;
}

/** How `entry` is shown. */
export function scheduledTask(entry: Entry): ScheduledTask {
  const task: ScheduledTask = {
    id: entry.id,
    origin: entry.origin,
    conversation: entry.conversation,
    kind: entry.kind,
    text: entry.text,
    rule: describeRecurrence(entry.recurrence),
    recurring: isRecurring(entry.recurrence),
    nextRun: entry.next?.toISOString() ?? null,
    created: entry.created.toISOString(),
  };
  if (entry.name !== undefined) task.name = entry.name;
  if (entry.thread !== undefined) task.thread = entry.thread;
  if (entry.createdBy !== undefined) task.createdBy = entry.createdBy;
  if (entry.lastRun !== undefined) task.lastRun = entry.lastRun.toISOString();
  return task;
}
