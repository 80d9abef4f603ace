/**
 * Scheduled tasks: the operator's `[[schedules]]` (cron or `every`, from the config) and
 * users' own tasks (one-time or recurring, made through the LLM's tools or slash commands),
 * kept in `schedules.json` in the data directory. Each run is handed to a callback as a
 * {@linkcode ScheduleFiring}, which the agent routes into the conversation's queue.
 *
 * The clock is injected ({@linkcode systemClock}, or {@linkcode FakeClock} in tests), and so
 * is the store ({@linkcode scheduleFile}, or {@linkcode memoryScheduleStore}).
 *
 * @example
 * ```ts
 * import { Scheduler, scheduleFile, scheduleTools } from "./scheduler/mod.ts";
 *
 * const scheduler = new Scheduler({
 *   store: scheduleFile(`${dataDir}/schedules.json`),
 *   schedules: config.schedules,
 *   missedRunGraceMs: config.agent.missed_run_grace_mins * 60_000,
 *   maxPerConversation: config.agent.max_schedules,
 *   fire: (firing) => router.enqueue(firing),
 *   log: log.child("scheduler"),
 * });
 * await scheduler.start();
 * const tools = scheduleTools(scheduler); // schedule_task, list_tasks, cancel_task
 * ```
 *
 * @module
 */
export { Scheduler } from "./scheduler.ts";
export type { NewTask, ScheduledTask, ScheduleFiring, SchedulerOptions } from "./scheduler.ts";
export type { OperatorSchedule } from "./_entry.ts";
export type { TaskTiming } from "./_user_timing.ts";
export { ScheduleRequestError } from "./schedule_request_error.ts";
export type { ScheduleRefusal } from "./schedule_request_error.ts";
export { type Clock, systemClock, type TimerHandle } from "./clock.ts";
export { FakeClock } from "./fake_clock.ts";
export {
  type MemoryScheduleStore,
  memoryScheduleStore,
  type ScheduleStore,
} from "./schedule_store.ts";
export { scheduleFile, type ScheduleFileOptions } from "./schedule_file.ts";
export { EVERY_EXPECTED, formatEvery, parseEvery } from "./every.ts";
export { canonicalTimeZone, CRON_EXPECTED, CronRule, machineTimeZone } from "./cron_rule.ts";
export { parseDateTime } from "./parse_date_time.ts";
export { describeTask, inWords } from "./describe_task.ts";
export {
  SCHEDULE_TOOL_NAMES,
  type ScheduleToolCall,
  type ScheduleToolContext,
  type ScheduleToolResult,
  type ScheduleToolRunner,
  scheduleTools,
  type ScheduleToolsOptions,
} from "./schedule_tools.ts";
