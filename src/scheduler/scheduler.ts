/**
 * The scheduler: the operator's schedules (from the config, read at every start) and users'
 * tasks (saved, surviving restarts), each firing into a callback as plain data that the
 * agent routes into the conversation's queue like a message.
 *
 * Runs missed while the agent was down: at start, each schedule whose latest due run is
 * younger than the grace runs once, marked as a catch-up, never a burst; older ones are
 * skipped. What has run is saved before the firing leaves, so a restart right after a run
 * does not run it again.
 *
 * @module
 */
import { errorMessage, type Logger, silentLogger } from "../log/mod.ts";
import { type Clock, systemClock, type TimerHandle } from "./clock.ts";
import { machineTimeZone } from "./cron_rule.ts";
import { type Entry, operatorEntry, type OperatorSchedule, userEntry } from "./_entry.ts";
import { describeRecurrence, nextRun, shortestGap } from "./recurrence.ts";
import { settleDue } from "./_settle_due.ts";
import { SavedState } from "./_saved_state.ts";
import { type ScheduleFiring, scheduleFiring } from "./schedule_firing.ts";
import { ScheduleRequestError } from "./schedule_request_error.ts";
import { type ScheduledTask, scheduledTask } from "./scheduled_task.ts";
import type { ScheduleStore } from "./schedule_store.ts";
import { type TaskTiming, userRecurrence } from "./_user_timing.ts";

export type { ScheduledTask, ScheduleFiring };

/** A user's task to schedule. */
export interface NewTask {
  /** The conversation it belongs to and runs in (its owner). */
  conversation: string;
  /** The thread it runs in. */
  thread?: string | undefined;
  /** The user who asked, for the record. */
  createdBy?: string | undefined;
  /** What to do when it runs. */
  text: string;
  /** @default {"prompt"} */
  kind?: "prompt" | "text";
  when: TaskTiming;
}

/** Options for {@linkcode Scheduler}. */
export interface SchedulerOptions {
  /** Where tasks and last runs are saved. */
  store: ScheduleStore;
  /** Receives each firing; it must return quickly (queue the work). */
  fire: (firing: ScheduleFiring) => void;
  /** The operator's schedules (`[[schedules]]`). @default {[]} */
  schedules?: readonly OperatorSchedule[];
  /** @default {systemClock} */
  clock?: Clock;
  /** @default a silent logger */
  log?: Logger;
  /** How old a missed run may be and still run once (`agent.missed_run_grace_mins`). @default {3_600_000} */
  missedRunGraceMs?: number;
  /** Users' tasks one conversation may hold (`agent.max_schedules`). @default {20} */
  maxPerConversation?: number;
  /** How far ahead a user's one-time task must be, and how far apart recurring runs. @default {60_000} */
  minimumUserIntervalMs?: number;
  /** The zone of a cron rule without one, and of a date-time without offset. @default the machine's */
  timeZone?: string;
  /** Longest task text. @default {2000} */
  maxTaskChars?: number;
}

/** Longest single timer: the scheduler re-checks at least this often (clock changes). */
const MAX_TIMER_MS = 15 * 60_000;
/** How late a running agent may fire a run, whatever the grace: timers and busy loops lag. */
const RUNTIME_TOLERANCE_MS = 60_000;
const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/**
 * Runs the operator's schedules and users' tasks on an injected clock.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({
 *   store: scheduleFile(`${dataDir}/schedules.json`),
 *   schedules: config.schedules,
 *   fire: (firing) => router.enqueue(firing),
 *   log,
 * });
 * await scheduler.start();
 * await scheduler.add({ conversation: "alice@example.org", text: "Stretch", when: { every: "1h" } });
 * ```
 */
export class Scheduler {
  #options: SchedulerOptions;
  #clock: Clock;
  #log: Logger;
  #graceMs: number;
  #zone: string | undefined;
  #entries = new Map<string, Entry>();
  #timer: TimerHandle | undefined;
  #running = false;
  #work: Promise<void> = Promise.resolve();
  #state: SavedState;

  /** @param options The store, the callback, the config's schedules and the limits. */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger();
    this.#graceMs = options.missedRunGraceMs ?? 3_600_000;
    this.#zone = options.timeZone;
    this.#state = new SavedState(options.store, this.#log);
  }

  /**
   * The zone of cron rules and of times without an offset. The machine's is read at first use:
   * asking the runtime for it loads its time zone data (about 4 MB), which an agent without
   * schedules never needs.
   */
  get #timeZone(): string {
    return this.#zone ??= machineTimeZone();
  }

  /** The limits users' tasks are held to, for tool descriptions and messages. */
  get limits(): { maxPerConversation: number; minimumMs: number; timeZone: string } {
    return { ...this.#counts, timeZone: this.#timeZone };
  }

  /** The limits without the time zone (checking a saved task does not need it). */
  get #counts(): { maxPerConversation: number; minimumMs: number } {
    return {
      maxPerConversation: this.#options.maxPerConversation ?? 20,
      minimumMs: this.#options.minimumUserIntervalMs ?? 60_000,
    };
  }

  /** The scheduler's current instant. */
  now(): Date {
    return this.#clock.now();
  }

  /**
   * Loads the saved tasks, takes the config's schedules, runs once each schedule that missed
   * a run within the grace, and starts the timer. A saved file that cannot be read is set
   * aside (logged as an error) and the scheduler starts without users' tasks.
   *
   * The catch-up runs are handed to `fire` before this resolves: whatever routes them must
   * be ready first.
   *
   * @throws {Error} When the store cannot be read at all (permissions), or it already runs.
   */
  start(): Promise<void> {
    if (this.#running) return Promise.reject(new Error("The scheduler is already running"));
    this.#running = true;
    return this.#enqueue(async () => {
      const now = this.#clock.now();
      const saved = await this.#state.load();
      for (const schedule of this.#options.schedules ?? []) {
        try {
          const entry = operatorEntry(schedule, saved.config[schedule.name], {
            now,
            timeZone: this.#timeZone,
          });
          this.#entries.set(entry.id, entry);
        } catch (error) {
          this.#log.error(`Schedule "${schedule.name}" is not valid: ${errorMessage(error)}`);
        }
      }
      // The file can be edited: a saved task keeps to the rules a new one does.
      const { maxPerConversation, minimumMs } = this.#counts;
      const held = new Map<string, number>();
      for (const task of saved.tasks) {
        try {
          const entry = userEntry(task);
          // The same measure a new task's timing passes (`every` and cron alike).
          if (shortestGap(entry.recurrence, now) < minimumMs) {
            throw new RangeError(`it runs more often than every ${minimumMs / 1000} s`);
          }
          const count = held.get(entry.conversation) ?? 0;
          if (count >= maxPerConversation) {
            throw new RangeError(`its conversation holds ${maxPerConversation} tasks already`);
          }
          held.set(entry.conversation, count + 1);
          this.#entries.set(task.id, entry);
        } catch (error) {
          this.#log.warn(`Dropped saved task ${task.id}: ${errorMessage(error)}`);
        }
      }
      const due = this.#settleDue(now, this.#graceMs, true);
      await this.#saveLogged();
      for (const [entry, run] of due) this.#fire(entry, run, true);
      const users = [...this.#entries.values()].filter((entry) => entry.origin === "user").length;
      this.#log.info(
        `Scheduler started: ${this.#entries.size - users} from the config, ${users} users' tasks` +
          (due.length > 0 ? `, ${due.length} missed run(s) caught up` : ""),
      );
      this.#arm();
    });
  }

  /** Stops the timer and waits for work in progress (a save, a firing). */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.idle();
  }

  /** Resolves when the work started so far (firings, saves) is done. */
  async idle(): Promise<void> {
    await this.#work;
    await this.#state.idle();
  }

  /** The schedules of one conversation: its users' tasks and the config's, next run first. */
  list(conversation: string): ScheduledTask[] {
    const owner = conversation.toLowerCase();
    return this.all().filter((task) => task.conversation === owner);
  }

  /** Every schedule, next run first. */
  all(): ScheduledTask[] {
    const order = (task: ScheduledTask) => task.nextRun ?? "\uffff";
    return [...this.#entries.values()].map(scheduledTask).sort((a, b) =>
      order(a).localeCompare(order(b)) || a.id.localeCompare(b.id)
    );
  }

  /**
   * Schedules a user's task in its conversation, saved before this resolves.
   *
   * @throws {ScheduleRequestError} When the request breaks a rule: too soon, too frequent,
   *   too many in the conversation, a bad cron, a past date, not exactly one timing.
   * @throws {Error} When it cannot be saved (then nothing is scheduled).
   */
  add(task: NewTask): Promise<ScheduledTask> {
    return this.#enqueue(async () => {
      const now = this.#clock.now();
      const conversation = task.conversation.toLowerCase();
      const { maxPerConversation, minimumMs } = this.#counts;
      const text = task.text.trim();
      const maxChars = this.#options.maxTaskChars ?? 2000;
      if (text === "" || text.length > maxChars) {
        throw new ScheduleRequestError(
          "bad_text",
          text === "" ? "The task is empty" : `The task is longer than ${maxChars} characters`,
        );
      }
      const held = [...this.#entries.values()].filter((entry) =>
        entry.origin === "user" && entry.conversation === conversation
      ).length;
      if (held >= maxPerConversation) {
        throw new ScheduleRequestError(
          "too_many",
          maxPerConversation === 0
            ? "Scheduling tasks is turned off on this agent"
            : `This conversation already has ${held} scheduled tasks, the most allowed: ` +
              "cancel one first",
        );
      }
      const recurrence = userRecurrence(task.when, { now, timeZone: this.#timeZone, minimumMs });
      const entry: Entry = {
        id: this.#newId(),
        origin: "user",
        conversation,
        kind: task.kind ?? "prompt",
        text,
        recurrence,
        created: now,
        doneUntil: now,
        next: nextRun(recurrence, now),
      };
      if (task.thread !== undefined) {
        entry.thread = task.thread;
      }
      if (task.createdBy !== undefined) {
        entry.createdBy = task.createdBy.toLowerCase();
      }
      this.#entries.set(entry.id, entry);
      try {
        await this.#save();
      } catch (error) {
        this.#entries.delete(entry.id);
        throw error;
      }
      this.#log.info(
        `Scheduled task ${entry.id} in ${conversation}: ${describeRecurrence(recurrence)}`,
      );
      this.#arm();
      return scheduledTask(entry);
    });
  }

  /**
   * Cancels one of a conversation's tasks. Another conversation's task is as unknown as one
   * that does not exist, so ids cannot be probed.
   *
   * @returns The cancelled task, or `undefined` when the conversation has no task `id`.
   * @throws {ScheduleRequestError} `operator_schedule` for a schedule of the config.
   * @throws {Error} When the change cannot be saved (the task is kept).
   */
  cancel(conversation: string, id: string): Promise<ScheduledTask | undefined> {
    return this.#enqueue(async () => {
      // Users' ids are lower-case; a person may well type one in capitals.
      const entry = this.#entries.get(id.trim()) ?? this.#entries.get(id.trim().toLowerCase());
      if (entry === undefined || entry.conversation !== conversation.toLowerCase()) {
        return undefined;
      }
      if (entry.origin === "config") {
        throw new ScheduleRequestError(
          "operator_schedule",
          `${entry.id} is set in the agent's configuration ("${entry.name}"): only the ` +
            "operator can remove it",
        );
      }
      this.#entries.delete(entry.id);
      try {
        await this.#save();
      } catch (error) {
        this.#entries.set(entry.id, entry);
        throw error;
      }
      this.#log.info(`Cancelled task ${entry.id} in ${entry.conversation}`);
      this.#arm();
      return scheduledTask(entry);
    });
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#work.then(work);
    this.#work = result.then(() => {}, () => {});
    return result;
  }

  /** Settles what is due (see {@linkcode settleDue}), logs what was skipped. */
  #settleDue(now: Date, windowMs: number, atStart: boolean): [Entry, Date][] {
    const { owed, missed, spent } = settleDue(this.#entries.values(), now, windowMs);
    for (const { entry, first, run } of missed) {
      const age = Math.round((now.getTime() - first.getTime()) / 60_000);
      const from = `${entry.id} in ${entry.conversation} missed runs from ${first.toISOString()}`;
      // A frequent schedule a little late in a busy process is routine; a skipped run is not.
      if (run === null) this.#log.info(`Schedule ${from} (${age} min ago): too old, skipped`);
      else if (atStart) this.#log.info(`Schedule ${from} (${age} min ago): only the latest runs`);
      else this.#log.debug(`Schedule ${from}: only the latest runs`);
    }
    for (const entry of spent) this.#entries.delete(entry.id);
    return owed;
  }

  async #tick(): Promise<void> {
    if (!this.#running) return;
    const now = this.#clock.now();
    const owed = this.#settleDue(now, Math.max(this.#graceMs, RUNTIME_TOLERANCE_MS), false);
    if (owed.length > 0) await this.#saveLogged();
    for (const [entry, run] of owed) this.#fire(entry, run, false);
    this.#arm();
  }

  #fire(entry: Entry, run: Date, catchUp: boolean): void {
    const firedAt = this.#clock.now();
    const firing = scheduleFiring(entry, run, firedAt, catchUp);
    this.#log.debug(
      `Fired ${entry.id} in ${entry.conversation}${catchUp ? " (catch-up)" : ""}, ` +
        `${firing.latenessMs} ms late`,
    );
    try {
      this.#options.fire(firing);
    } catch (error) {
      this.#log.error(`Handing over ${entry.id} failed: ${errorMessage(error)}`);
    }
  }

  #arm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#running) return;
    let earliest = Infinity;
    for (const entry of this.#entries.values()) {
      if (entry.next !== null) earliest = Math.min(earliest, entry.next.getTime());
    }
    if (earliest === Infinity) return;
    const delay = Math.min(Math.max(0, earliest - this.#clock.now().getTime()), MAX_TIMER_MS);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#enqueue(() => this.#tick()).catch((error) => {
        this.#log.error(`Scheduler tick failed: ${errorMessage(error)}`);
      });
    }, delay);
  }

  #save(): Promise<void> {
    return this.#state.save(this.#entries.values());
  }

  async #saveLogged(): Promise<void> {
    try {
      await this.#save();
    } catch (error) {
      this.#log.error(`Saving the schedules failed: ${errorMessage(error)}`);
    }
  }

  #newId(): string {
    for (;;) {
      const bytes = crypto.getRandomValues(new Uint8Array(8));
      const id = [...bytes].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join("");
      if (!this.#entries.has(id)) return id;
    }
  }
}
