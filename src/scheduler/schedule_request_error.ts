/**
 * Why the scheduler refused what a user asked.
 *
 * @module
 */

/** The reasons a request to schedule or cancel a task is refused. */
export type ScheduleRefusal =
  /** Not exactly one of `at`, `in_seconds`, `cron` (or `every`), or a value of the wrong type. */
  | "bad_request"
  /** `at` is not an ISO-8601 date-time. */
  | "bad_time"
  /** `at` is not in the future. */
  | "past"
  /** A one-time task less than the minimum (60 s) ahead. */
  | "too_soon"
  /** A one-time task more than 10 years ahead. */
  | "too_far"
  /** A recurring task whose runs are less than the minimum (60 s) apart. */
  | "too_frequent"
  /** The conversation holds the most tasks allowed (`agent.max_schedules`). */
  | "too_many"
  /** The cron expression or its time zone is not valid. */
  | "bad_cron"
  /** The `every` interval is not valid. */
  | "bad_every"
  /** The task's text is empty or too long. */
  | "bad_text"
  /** The schedule comes from the agent's configuration: only the operator can remove it. */
  | "operator_schedule";

/**
 * A request the scheduler refuses. Its message is one sentence meant for the person (or the
 * LLM acting for them): what was wrong and what is allowed.
 */
export class ScheduleRequestError extends Error {
  override name = "ScheduleRequestError";
  /** Why, for callers that react to the reason. */
  readonly reason: ScheduleRefusal;

  /**
   * @param reason Why.
   * @param message What was wrong, for the person.
   * @param options The underlying error, when there is one.
   */
  constructor(reason: ScheduleRefusal, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}
