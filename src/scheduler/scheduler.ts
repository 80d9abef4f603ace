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
import { type Logger, silentLogger } from "../log/mod.ts";
import { type Clock, systemClock, type TimerHandle } from "./clock.ts";
import { machineTimeZone } from "./cron_rule.ts";
import {
  type Entry,
  operatorEntry,
  operatorRecord,
  type OperatorSchedule,
  userEntry,
  userRecord,
} from "./_entry.ts";
import { describeRecurrence, isRecurring, latestRun, nextRun } from "./recurrence.ts";
import { ScheduleRequestError } from "./schedule_request_error.ts";
import type { ScheduleStore } from "./schedule_store.ts";
import { formatStoredState, parseStoredState, type StoredState } from "./_stored_state.ts";
import { type TaskTiming, userRecurrence } from "./_user_timing.ts";

/** A schedule that is due, handed to the agent: plain data (JSON as is). */
export interface ScheduleFiring {
  type: "schedule";
  /** The task's id (a config schedule's is `config:{name}`). */
  id: string;
  /** The config schedule's name. */
  name?: string;
  /** Who made it: the operator's config, or a user through a tool or command. */
  origin: "config" | "user";
  /** The conversation it runs in: a bare JID or a room's JID. */
  conversation: string;
  /** The XEP-0201 thread it was made in, if any. */
  thread?: string;
  /** Who asked for it (a user's bare JID), when known. */
  createdBy?: string;
  /** `prompt`: an LLM turn with `text` as the instruction; `text`: `text` sent as is. */
  kind: "prompt" | "text";
  text: string;
  recurring: boolean;
  /** The instant it was due (ISO). */
  scheduledAt: string;
  /** The instant it was handed over (ISO). */
  firedAt: string;
  /** `firedAt − scheduledAt`, in milliseconds. */
  latenessMs: number;
  /** A run missed while the agent was down, run once at start. */
  catchUp: boolean;
}

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
  #timeZone: string;
  #entries = new Map<string, Entry>();
  #timer: TimerHandle | undefined;
  #running = false;
  #work: Promise<void> = Promise.resolve();
  #saved: Promise<void> = Promise.resolve();

  /** @param options The store, the callback, the config's schedules and the limits. */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger();
    this.#graceMs = options.missedRunGraceMs ?? 3_600_000;
    this.#timeZone = options.timeZone ?? machineTimeZone();
  }

  /** The limits users' tasks are held to, for tool descriptions and messages. */
  get limits(): { maxPerConversation: number; minimumMs: number; timeZone: string } {
    return {
      maxPerConversation: this.#options.maxPerConversation ?? 20,
      minimumMs: this.#options.minimumUserIntervalMs ?? 60_000,
      timeZone: this.#timeZone,
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
   */
  start(): Promise<void> {
    if (this.#running) return Promise.reject(new Error("The scheduler is already running"));
    this.#running = true;
    return this.#enqueue(async () => {
      const now = this.#clock.now();
      const saved = await this.#load();
      for (const schedule of this.#options.schedules ?? []) {
        try {
          const entry = operatorEntry(schedule, saved.config[schedule.name], {
            now,
            timeZone: this.#timeZone,
          });
          this.#entries.set(entry.id, entry);
        } catch (error) {
          this.#log.error(`Schedule "${schedule.name}" is not valid: ${message(error)}`);
        }
      }
      for (const task of saved.tasks) {
        try {
          this.#entries.set(task.id, userEntry(task));
        } catch (error) {
          this.#log.warn(`Dropped saved task ${task.id}: ${message(error)}`);
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
    await this.#saved.catch(() => {});
  }

  /** The schedules of one conversation: its users' tasks and the config's, next run first. */
  list(conversation: string): ScheduledTask[] {
    const owner = conversation.toLowerCase();
    return this.all().filter((task) => task.conversation === owner);
  }

  /** Every schedule, next run first. */
  all(): ScheduledTask[] {
    const order = (task: ScheduledTask) => task.nextRun ?? "\uffff";
    return [...this.#entries.values()].map(view).sort((a, b) =>
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
      const { maxPerConversation, minimumMs } = this.limits;
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
      return view(entry);
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
      const entry = this.#entries.get(id.trim());
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
      return view(entry);
    });
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#work.then(work);
    this.#work = result.then(() => {}, () => {});
    return result;
  }

  /**
   * Settles every entry whose next run has come: the latest run inside the window is owed
   * once, older ones are skipped. Spent one-time tasks are removed.
   */
  #settleDue(now: Date, windowMs: number, atStart: boolean): [Entry, Date][] {
    const owed: [Entry, Date][] = [];
    const due = [...this.#entries.values()]
      .filter((entry) => entry.next !== null && entry.next.getTime() <= now.getTime())
      .sort((a, b) => a.next!.getTime() - b.next!.getTime() || a.id.localeCompare(b.id));
    for (const entry of due) {
      const from = new Date(Math.max(entry.doneUntil.getTime(), now.getTime() - windowMs));
      const run = latestRun(entry.recurrence, from, now);
      const first = entry.next!;
      if (run === null || first.getTime() < run.getTime()) {
        const age = Math.round((now.getTime() - first.getTime()) / 60_000);
        // A busy loop running a frequent schedule a little late is routine; a skip is not.
        const level = run === null || atStart ? "info" : "debug";
        this.#log[level](
          `Schedule ${entry.id} in ${entry.conversation} missed ${
            run === null ? "its" : "older"
          } ` +
            `run(s) from ${first.toISOString()} (${age} min ago): ` +
            (run === null ? "too old, skipped" : "only the latest runs"),
        );
      }
      entry.doneUntil = run ?? now;
      if (run !== null) {
        entry.lastRun = run;
        owed.push([entry, run]);
      }
      entry.next = nextRun(entry.recurrence, entry.doneUntil);
      if (entry.next === null && entry.origin === "user") this.#entries.delete(entry.id);
    }
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
    const firing: ScheduleFiring = {
      type: "schedule",
      id: entry.id,
      origin: entry.origin,
      conversation: entry.conversation,
      kind: entry.kind,
      text: entry.text,
      recurring: isRecurring(entry.recurrence),
      scheduledAt: run.toISOString(),
      firedAt: firedAt.toISOString(),
      latenessMs: firedAt.getTime() - run.getTime(),
      catchUp,
    };
    if (entry.name !== undefined) firing.name = entry.name;
    if (entry.thread !== undefined) firing.thread = entry.thread;
    if (entry.createdBy !== undefined) firing.createdBy = entry.createdBy;
    this.#log.debug(
      `Fired ${entry.id} in ${entry.conversation}${catchUp ? " (catch-up)" : ""}, ` +
        `${firing.latenessMs} ms late`,
    );
    try {
      this.#options.fire(firing);
    } catch (error) {
      this.#log.error(`Handing over ${entry.id} failed: ${message(error)}`);
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
        this.#log.error(`Scheduler tick failed: ${message(error)}`);
      });
    }, delay);
  }

  async #load(): Promise<StoredState> {
    const empty: StoredState = { version: 1, tasks: [], config: {} };
    const text = await this.#options.store.read();
    if (text === undefined) return empty;
    try {
      const { state, dropped } = parseStoredState(text);
      if (dropped > 0) this.#log.warn(`Dropped ${dropped} unreadable record(s) of the schedules`);
      return state;
    } catch (error) {
      const aside = await this.#options.store.setAside();
      this.#log.error(
        `The saved schedules cannot be read (${message(error)}): kept as ${aside}; ` +
          "starting without users' tasks",
      );
      return empty;
    }
  }

  #save(): Promise<void> {
    const state: StoredState = { version: 1, tasks: [], config: {} };
    for (const entry of this.#entries.values()) {
      if (entry.origin === "user") state.tasks.push(userRecord(entry));
      else state.config[entry.name!] = operatorRecord(entry);
    }
    const text = formatStoredState(state);
    const saved = this.#saved.catch(() => {}).then(() => this.#options.store.write(text));
    this.#saved = saved;
    return saved;
  }

  async #saveLogged(): Promise<void> {
    try {
      await this.#save();
    } catch (error) {
      this.#log.error(`Saving the schedules failed: ${message(error)}`);
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

function view(entry: Entry): ScheduledTask {
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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
