/**
 * Schedule commands: `/schedules` lists this conversation's scheduled tasks, `/schedule
 * cancel <id>` cancels one of them. A conversation sees and cancels only its own tasks.
 *
 * @module
 */
import { describeTask, type ScheduledTask, ScheduleRequestError } from "../scheduler/mod.ts";
import type { Command } from "./command.ts";

/** What the schedule commands need of the scheduler. */
export interface ScheduleCommandSource {
  /** The conversation's tasks (its users' and the config's), next run first. */
  list(conversation: string): ScheduledTask[];
  /**
   * Cancels one of the conversation's tasks; `undefined` when it has none with this id.
   * @throws {ScheduleRequestError} For a schedule of the config.
   */
  cancel(conversation: string, id: string): Promise<ScheduledTask | undefined>;
  now(): Date;
}

const USAGE =
  "Usage: /schedules lists this conversation's tasks; /schedule cancel <id> cancels one";

/**
 * The schedule commands over a scheduler.
 *
 * @example
 * ```ts
 * const registry = new CommandRegistry([...builtinCommands(), ...scheduleCommands(scheduler)]);
 * ```
 */
export function scheduleCommands(source: ScheduleCommandSource): Command[] {
  return [
    {
      name: "schedules",
      summary: "List this conversation's scheduled tasks",
      run({ jid }) {
        const tasks = source.list(jid);
        if (tasks.length === 0) {
          return Promise.resolve(
            "No tasks are scheduled here. Ask me to remind you of something to schedule one.",
          );
        }
        const now = source.now();
        return Promise.resolve(
          [
            `Scheduled tasks (${tasks.length}):`,
            ...tasks.map((task) => `- ${describeTask(task, now)}`),
          ].join("\n"),
        );
      },
    },
    {
      name: "schedule",
      summary: "/schedule cancel <id>: cancel one of this conversation's scheduled tasks",
      args: { label: "cancel <id>", required: true },
      async run({ jid, args, rights }) {
        const [action = "", id = "", ...rest] = args.split(/\s+/).filter((part) => part !== "");
        if (action.toLowerCase() !== "cancel" || id === "" || rest.length > 0) return USAGE;
        if (!rights.erase) {
          return "Only an occupant whose real JID is allowed (agent.allowed_jids, visible in a " +
            "non-anonymous room) may cancel this room's tasks.";
        }
        try {
          const cancelled = await source.cancel(jid, id);
          if (cancelled === undefined) {
            return `No task ${JSON.stringify(id)} here. Send /schedules for the list.`;
          }
          return `Cancelled ${cancelled.id}: ${JSON.stringify(cancelled.text)}`;
        } catch (error) {
          if (error instanceof ScheduleRequestError) return error.message;
          return "The task could not be cancelled: the agent could not save the change.";
        }
      },
    },
  ];
}
