/**
 * The LLM's scheduling tools, run in the agent's process: `schedule_task`, `list_tasks` and
 * `cancel_task`. The conversation a call comes from owns what it schedules; it sees and
 * cancels only its own tasks. Refusals come back as error results with one sentence the
 * model can relay.
 *
 * @module
 */
import type { ToolDefinition } from "../llm/mod.ts";
import { type Logger, silentLogger } from "../log/mod.ts";
import { describeTask } from "./describe_task.ts";
import type { Scheduler } from "./scheduler.ts";
import { ScheduleRequestError } from "./schedule_request_error.ts";
import type { TaskTiming } from "./_user_timing.ts";

/** A tool call, as the agent's tool loop passes it. */
export interface ScheduleToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** A tool result, as the agent's tool loop expects it. */
export interface ScheduleToolResult {
  tool_use_id: string;
  content: string;
  is_error: boolean;
}

/** Where a call comes from. */
export interface ScheduleToolContext {
  /** The conversation (bare JID or room): the owner of what is scheduled. */
  conversation: string;
  /** The thread the call was made in: tasks made there run there. */
  thread?: string | undefined;
  /** The person asking (bare JID), kept with the task. */
  sender?: string | undefined;
}

/** The scheduling tools, shaped like the agent's tool runner. */
export interface ScheduleToolRunner {
  /** The three definitions, sorted by name. */
  definitions(): ToolDefinition[];
  /** Whether `name` is one of these tools (to merge them with the skills' tools). */
  has(name: string): boolean;
  /** Runs one call; refusals and failures come back as error results, never as rejections. */
  call(call: ScheduleToolCall, context: ScheduleToolContext): Promise<ScheduleToolResult>;
}

/** Options for {@linkcode scheduleTools}. */
export interface ScheduleToolsOptions {
  /** Where a storage failure is logged. @default a silent logger */
  log?: Logger;
}

/** The tool names. */
export const SCHEDULE_TOOL_NAMES = ["cancel_task", "list_tasks", "schedule_task"] as const;

/**
 * Creates the scheduling tools over a scheduler.
 *
 * @example
 * ```ts
 * const tools = scheduleTools(scheduler);
 * await tools.call(
 *   { id: "t1", name: "schedule_task", input: { task: "Remind me to stretch", in_seconds: 3600 } },
 *   { conversation: "alice@example.org" },
 * );
 * ```
 */
export function scheduleTools(
  scheduler: Scheduler,
  options: ScheduleToolsOptions = {},
): ScheduleToolRunner {
  const log = options.log ?? silentLogger();
  return {
    definitions: () => definitions(scheduler),
    has: (name) => (SCHEDULE_TOOL_NAMES as readonly string[]).includes(name),
    async call(call, context) {
      const result = (content: string, is_error = false) => ({
        tool_use_id: call.id,
        content,
        is_error,
      });
      try {
        switch (call.name) {
          case "schedule_task": {
            const { task, when } = readScheduleInput(call.input);
            const added = await scheduler.add({
              conversation: context.conversation,
              thread: context.thread,
              createdBy: context.sender,
              text: task,
              when,
            });
            return result(
              `Scheduled. ${describeTask(added, scheduler.now())}. When it is due you will get ` +
                "the task as an instruction in this conversation.",
            );
          }
          case "list_tasks": {
            const tasks = scheduler.list(context.conversation);
            if (tasks.length === 0) return result("No tasks are scheduled in this conversation.");
            const now = scheduler.now();
            return result(
              [
                `Now: ${now.toISOString()}. Tasks of this conversation:`,
                ...tasks.map((task) => `- ${describeTask(task, now)}`),
              ].join("\n"),
            );
          }
          case "cancel_task": {
            const id = call.input.id;
            if (typeof id !== "string" || id.trim() === "") {
              return result("cancel_task needs the id of a task (from list_tasks)", true);
            }
            const cancelled = await scheduler.cancel(context.conversation, id);
            if (cancelled === undefined) {
              return result(`No task ${JSON.stringify(id)} in this conversation`, true);
            }
            return result(`Cancelled ${cancelled.id}: ${JSON.stringify(cancelled.text)}.`);
          }
          default:
            return result(`Unknown tool ${JSON.stringify(call.name)}`, true);
        }
      } catch (error) {
        if (error instanceof ScheduleRequestError) return result(error.message, true);
        log.error(`${call.name} failed in ${context.conversation}: ${String(error)}`);
        return result(
          "The agent could not save the change (its storage failed); nothing was changed",
          true,
        );
      }
    },
  };
}

function readScheduleInput(input: Record<string, unknown>): { task: string; when: TaskTiming } {
  // Some models send null for the fields they leave out.
  const given = (key: string) => input[key] !== undefined && input[key] !== null;
  const unknown = Object.keys(input).filter((key) =>
    !["task", "at", "in_seconds", "cron", "tz"].includes(key) && given(key)
  );
  const refuse = (message: string) => new ScheduleRequestError("bad_request", message);
  if (unknown.length > 0) {
    throw refuse(`Unknown field(s) ${unknown.join(", ")}: expected task, at, in_seconds, cron, tz`);
  }
  if (typeof input.task !== "string" || input.task.trim() === "") {
    throw refuse("task must be a non-empty string: what to do when it is due");
  }
  const timings = ["at", "in_seconds", "cron"].filter(given);
  if (timings.length !== 1) {
    throw refuse(
      `Give exactly one of at, in_seconds or cron (${
        timings.length === 0 ? "none was given" : `got ${timings.join(" and ")}`
      })`,
    );
  }
  for (const key of ["at", "cron", "tz"]) {
    if (given(key) && typeof input[key] !== "string") throw refuse(`${key} must be a string`);
  }
  if (given("tz") && !given("cron")) throw refuse("tz goes with cron only");
  if (given("in_seconds") && !Number.isInteger(input.in_seconds)) {
    throw refuse("in_seconds must be a whole number of seconds");
  }
  const when: TaskTiming = given("at")
    ? { at: input.at as string }
    : given("in_seconds")
    ? { inSeconds: input.in_seconds as number }
    : { cron: input.cron as string, tz: given("tz") ? input.tz as string : undefined };
  return { task: input.task, when };
}

function definitions(scheduler: Scheduler): ToolDefinition[] {
  const { maxPerConversation, minimumMs, timeZone } = scheduler.limits;
  const minimum = `${Math.round(minimumMs / 1000)} seconds`;
  return [
    {
      name: "cancel_task",
      description: "Cancel one of this conversation's scheduled tasks, by its id (see list_tasks).",
      input_schema: {
        type: "object",
        properties: { id: { type: "string", description: "The task's id" } },
        required: ["id"],
        additionalProperties: false,
      },
    },
    {
      name: "list_tasks",
      description:
        "List this conversation's scheduled tasks: id, rule, next run (ISO and in words), text.",
      input_schema: { type: "object", properties: {}, additionalProperties: false },
    },
    {
      name: "schedule_task",
      description: "Schedule a task in this conversation: once at a date-time (at), once after " +
        "a delay (in_seconds), or repeatedly (cron, five fields: minute hour day month " +
        "weekday). Give exactly one of the three. When it is due, you receive the task as an " +
        "instruction here and carry it out (a reminder: write it to the person). A one-time " +
        `task must be at least ${minimum} ahead, recurring runs at least ${minimum} apart; ` +
        `a conversation holds at most ${maxPerConversation} tasks. Times without an offset ` +
        `and cron rules are read in ${timeZone} unless tz is given.`,
      input_schema: {
        type: "object",
        properties: {
          task: {
            type: "string",
            description: "What to do when it is due, as an instruction to yourself",
          },
          at: {
            type: "string",
            description: 'An ISO-8601 date-time, like "2026-03-30T09:00:00+02:00"',
          },
          in_seconds: { type: "integer", minimum: Math.ceil(minimumMs / 1000) },
          cron: { type: "string", description: 'Five-field cron, like "0 9 * * 1-5"' },
          tz: { type: "string", description: 'IANA time zone of cron, like "Europe/Paris"' },
        },
        required: ["task"],
        additionalProperties: false,
      },
    },
  ];
}
