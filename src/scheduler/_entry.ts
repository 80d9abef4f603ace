/**
 * The scheduler's record of one schedule, built from the config or from the saved file, and
 * written back to the file.
 *
 * @module
 */
import { CronRule } from "./cron_rule.ts";
import { parseEvery } from "./every.ts";
import { nextRun, type Recurrence } from "./recurrence.ts";
import type { StoredConfigRun, StoredTask } from "./_stored_state.ts";

/** A schedule the operator wrote in the config (`[[schedules]]`). */
export interface OperatorSchedule {
  /** Unique among the config's schedules; names it in logs and in the saved state. */
  name: string;
  /** The conversation it runs in: an allowed bare JID or a configured room. */
  to: string;
  /** A five-field cron expression; or `every`. */
  cron?: string | undefined;
  /** An interval like `"30m"`; or `cron`. */
  every?: string | undefined;
  /** The zone of `cron`. @default the scheduler's zone */
  tz?: string | undefined;
  /** An instruction for an LLM turn; or `text`. */
  prompt?: string | undefined;
  /** A message sent as is; or `prompt`. */
  text?: string | undefined;
}

/** One schedule as the scheduler tracks it. */
export interface Entry {
  id: string;
  origin: "config" | "user";
  /** The config schedule's name. */
  name?: string;
  conversation: string;
  thread?: string;
  createdBy?: string;
  kind: "prompt" | "text";
  text: string;
  recurrence: Recurrence;
  created: Date;
  /** Every run at or before this instant has run or was skipped. */
  doneUntil: Date;
  /** The scheduled instant of the last run. */
  lastRun?: Date;
  /** The next run; `null` once a one-time task is spent. */
  next: Date | null;
}

/** The id of a config schedule: never one a user's task can have. */
export function configId(name: string): string {
  return `config:${name}`;
}

/** What identifies a config schedule's rule: when it changes, its saved runs no longer count. */
function signature(recurrence: Recurrence): string {
  if (recurrence.type === "cron") {
    return `cron ${recurrence.rule.expression} ${recurrence.rule.timeZone}`;
  }
  return recurrence.type === "every" ? `every ${recurrence.everyMs}` : "once";
}

/**
 * Builds a config schedule's entry, resuming from what was saved of it when its rule is the
 * same.
 *
 * @throws {TypeError} When the schedule is not valid (the config check makes that unlikely).
 */
export function operatorEntry(
  schedule: OperatorSchedule,
  saved: StoredConfigRun | undefined,
  context: { now: Date; timeZone: string },
): Entry {
  const { now } = context;
  if ((schedule.cron === undefined) === (schedule.every === undefined)) {
    throw new TypeError(`Schedule "${schedule.name}" needs exactly one of cron or every`);
  }
  if ((schedule.prompt === undefined) === (schedule.text === undefined)) {
    throw new TypeError(`Schedule "${schedule.name}" needs exactly one of prompt or text`);
  }
  const fresh: Recurrence = schedule.cron !== undefined
    ? { type: "cron", rule: CronRule.parse(schedule.cron, schedule.tz ?? context.timeZone) }
    : { type: "every", everyMs: parseEvery(schedule.every!), anchor: now };
  const resumed = saved !== undefined && saved.rule === signature(fresh);
  const recurrence: Recurrence = resumed && fresh.type === "every"
    ? { ...fresh, anchor: new Date(saved.anchor) }
    : fresh;
  const doneUntil = resumed ? new Date(saved.done_until) : now;
  const entry: Entry = {
    id: configId(schedule.name),
    origin: "config",
    name: schedule.name,
    conversation: schedule.to.toLowerCase(),
    kind: schedule.prompt !== undefined ? "prompt" : "text",
    text: schedule.prompt ?? schedule.text ?? "",
    recurrence,
    created: resumed ? new Date(saved.anchor) : now,
    doneUntil,
    next: nextRun(recurrence, doneUntil),
  };
  if (resumed && saved.last_run !== undefined) entry.lastRun = new Date(saved.last_run);
  return entry;
}

/** What is saved of a config schedule. */
export function operatorRecord(entry: Entry): StoredConfigRun {
  const anchor = entry.recurrence.type === "every" ? entry.recurrence.anchor : entry.created;
  const record: StoredConfigRun = {
    rule: signature(entry.recurrence),
    anchor: anchor.toISOString(),
    done_until: entry.doneUntil.toISOString(),
  };
  if (entry.lastRun !== undefined) record.last_run = entry.lastRun.toISOString();
  return record;
}

/**
 * Builds a user's task from the saved file.
 *
 * @throws {TypeError} When its cron expression or zone is no longer valid.
 */
export function userEntry(task: StoredTask): Entry {
  const created = new Date(task.created);
  const recurrence: Recurrence = task.at !== undefined
    ? { type: "once", at: new Date(task.at) }
    : task.cron !== undefined
    ? { type: "cron", rule: CronRule.parse(task.cron, task.tz ?? "UTC") }
    : { type: "every", everyMs: (task.every_secs ?? 0) * 1000, anchor: created };
  const doneUntil = new Date(task.done_until);
  const entry: Entry = {
    id: task.id,
    origin: "user",
    conversation: task.conversation,
    kind: task.kind,
    text: task.text,
    recurrence,
    created,
    doneUntil,
    next: nextRun(recurrence, doneUntil),
  };
  if (task.thread !== undefined) entry.thread = task.thread;
  if (task.created_by !== undefined) entry.createdBy = task.created_by;
  if (task.last_run !== undefined) entry.lastRun = new Date(task.last_run);
  return entry;
}

/** What is saved of a user's task. */
export function userRecord(entry: Entry): StoredTask {
  const task: StoredTask = {
    id: entry.id,
    conversation: entry.conversation,
    kind: entry.kind,
    text: entry.text,
    created: entry.created.toISOString(),
    done_until: entry.doneUntil.toISOString(),
  };
  if (entry.thread !== undefined) task.thread = entry.thread;
  if (entry.createdBy !== undefined) task.created_by = entry.createdBy;
  const { recurrence } = entry;
  if (recurrence.type === "once") task.at = recurrence.at.toISOString();
  else if (recurrence.type === "cron") {
    task.cron = recurrence.rule.expression;
    task.tz = recurrence.rule.timeZone;
  } else task.every_secs = Math.round(recurrence.everyMs / 1000);
  if (entry.lastRun !== undefined) task.last_run = entry.lastRun.toISOString();
  return task;
}
