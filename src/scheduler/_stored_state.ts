/**
 * The format of `schedules.json`:
 *
 * ```json
 * {
 *   "version": 1,
 *   "tasks": [{ "id": "k3j9x2ab", "conversation": "alice@example.org", "kind": "prompt",
 *               "text": "…", "cron": "0 9 * * 1-5", "tz": "Europe/Paris",
 *               "created": "…", "done_until": "…", "last_run": "…" }],
 *   "config": { "standup": { "rule": "cron 0 9 * * 1-5 Europe/Paris", "anchor": "…",
 *                            "done_until": "…", "last_run": "…" } }
 * }
 * ```
 *
 * A task has exactly one of `at` (once), `cron` (with `tz`) or `every_secs`. `done_until`:
 * every run at or before this instant has run or was skipped; `last_run`: the scheduled
 * instant of the last run.
 *
 * @module
 */

/** A user's task as saved. */
export interface StoredTask {
  id: string;
  conversation: string;
  thread?: string;
  created_by?: string;
  kind: "prompt" | "text";
  text: string;
  at?: string;
  cron?: string;
  tz?: string;
  every_secs?: number;
  created: string;
  done_until: string;
  last_run?: string;
}

/** What is remembered of a config schedule between runs of the agent. */
export interface StoredConfigRun {
  /** The rule it had: a changed rule starts afresh. */
  rule: string;
  anchor: string;
  done_until: string;
  last_run?: string;
}

/** The whole file. */
export interface StoredState {
  version: 1;
  tasks: StoredTask[];
  config: Record<string, StoredConfigRun>;
}

/** The file read back, and how many records were dropped as unreadable. */
export interface ParsedState {
  state: StoredState;
  dropped: number;
}

/**
 * Reads the file's text.
 *
 * @throws {SyntaxError} When it is not JSON, or not the scheduler's object at all.
 */
export function parseStoredState(text: string): ParsedState {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed) || parsed.version !== 1) {
    throw new SyntaxError('Expected {"version": 1, "tasks": […], "config": {…}}');
  }
  let dropped = 0;
  const tasks: StoredTask[] = [];
  for (const task of Array.isArray(parsed.tasks) ? parsed.tasks : []) {
    if (isStoredTask(task)) tasks.push(task);
    else dropped++;
  }
  const config: Record<string, StoredConfigRun> = {};
  for (const [name, run] of Object.entries(isObject(parsed.config) ? parsed.config : {})) {
    if (isStoredConfigRun(run)) config[name] = run;
    else dropped++;
  }
  return { state: { version: 1, tasks, config }, dropped };
}

/** Writes the file's text. */
export function formatStoredState(state: StoredState): string {
  return JSON.stringify(state, null, 2) + "\n";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown) => value === undefined || typeof value === "string";
const isInstant = (value: unknown) => typeof value === "string" && !Number.isNaN(Date.parse(value));

function isStoredTask(value: unknown): value is StoredTask {
  if (!isObject(value)) return false;
  const rules = [value.at !== undefined, value.cron !== undefined, value.every_secs !== undefined];
  // A config schedule's id is never a task's: an edited file must not shadow one.
  return typeof value.id === "string" && /^[a-z0-9]{1,32}$/.test(value.id) &&
    typeof value.conversation === "string" && value.conversation !== "" &&
    optionalString(value.thread) && optionalString(value.created_by) &&
    (value.kind === "prompt" || value.kind === "text") && typeof value.text === "string" &&
    rules.filter(Boolean).length === 1 &&
    (value.at === undefined || isInstant(value.at)) &&
    (value.cron === undefined ||
      (typeof value.cron === "string" && typeof value.tz === "string")) &&
    (value.every_secs === undefined ||
      (Number.isInteger(value.every_secs) && (value.every_secs as number) > 0)) &&
    isInstant(value.created) && isInstant(value.done_until) &&
    (value.last_run === undefined || isInstant(value.last_run));
}

function isStoredConfigRun(value: unknown): value is StoredConfigRun {
  return isObject(value) && typeof value.rule === "string" && isInstant(value.anchor) &&
    isInstant(value.done_until) && (value.last_run === undefined || isInstant(value.last_run));
}
