/**
 * Scheduled tasks in words, the same for the slash commands and the LLM's tools.
 *
 * @module
 */
import type { ScheduledTask } from "./scheduler.ts";

const UNITS = [["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000], [
  "second",
  1_000,
]] as const;

/**
 * How far ahead an instant is, in words: `"in 2 hours 5 minutes"`, `"in 45 seconds"`,
 * `"in 3 days 4 hours"` (the two largest units, rounded down), `"now"` when it is due.
 */
export function inWords(ms: number): string {
  if (ms < 1000) return "now";
  let rest = ms;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const value = Math.floor(rest / size);
    rest -= value * size;
    if (value > 0 && parts.length < 2) parts.push(`${value} ${unit}${value === 1 ? "" : "s"}`);
    else if (parts.length > 0) break;
  }
  return `in ${parts.join(" ")}`;
}

/**
 * One line for a task: id, rule, next run (ISO and in words) and its text.
 *
 * @param task The task.
 * @param now The current instant.
 * @example
 * ```ts
 * describeTask(task, now);
 * // 'k3j9x2ab: cron "0 9 * * 1-5" (Europe/Paris), recurring; next 2026-03-30T07:00:00.000Z
 * //  (in 2 days 19 hours): "Remind me of the stand-up"'
 * ```
 */
export function describeTask(task: ScheduledTask, now: Date): string {
  const next = task.nextRun === null
    ? "no further run"
    : `next ${task.nextRun} (${inWords(Date.parse(task.nextRun) - now.getTime())})`;
  const kind = task.recurring ? "recurring" : "one-time";
  const by = task.origin === "config" ? `, set by the operator as "${task.name}"` : "";
  const thread = task.thread === undefined ? "" : `, in thread ${task.thread}`;
  return `${task.id}: ${task.rule}, ${kind}${by}${thread}; ${next}: ${JSON.stringify(task.text)}`;
}
