/**
 * The scheduler's entries in its store: read once at start, rewritten whole on every change,
 * one write after another.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import { type Entry, operatorRecord, userRecord } from "./_entry.ts";
import type { ScheduleStore } from "./schedule_store.ts";
import { formatStoredState, parseStoredState, type StoredState } from "./_stored_state.ts";

/** Reads and writes the scheduler's state. */
export class SavedState {
  #store: ScheduleStore;
  #log: Logger;
  #saved: Promise<void> = Promise.resolve();

  constructor(store: ScheduleStore, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  /**
   * What was saved. A text that cannot be read is set aside (with an error line) and counts
   * as nothing saved; unreadable records are dropped (with a warning).
   *
   * @throws {Error} When the store cannot be read at all.
   */
  async load(): Promise<StoredState> {
    const empty: StoredState = { version: 1, tasks: [], config: {} };
    const text = await this.#store.read();
    if (text === undefined) return empty;
    try {
      const { state, dropped } = parseStoredState(text);
      if (dropped > 0) this.#log.warn(`Dropped ${dropped} unreadable record(s) of the schedules`);
      return state;
    } catch (error) {
      const aside = await this.#store.setAside();
      this.#log.error(
        `The saved schedules cannot be read (${(error as Error).message}): kept as ${aside}; ` +
          "starting without users' tasks",
      );
      return empty;
    }
  }

  /**
   * Saves every entry: users' tasks, and what is remembered of the config's schedules (those
   * no longer in the config are forgotten).
   *
   * @throws {Error} When the store cannot be written.
   */
  save(entries: Iterable<Entry>): Promise<void> {
    const state: StoredState = { version: 1, tasks: [], config: {} };
    for (const entry of entries) {
      if (entry.origin === "user") state.tasks.push(userRecord(entry));
      else state.config[entry.name!] = operatorRecord(entry);
    }
    const text = formatStoredState(state);
    const saved = this.#saved.catch(() => {}).then(() => this.#store.write(text));
    this.#saved = saved;
    return saved;
  }

  /** Resolves when the writes started so far are done (failed or not). */
  async idle(): Promise<void> {
    await this.#saved.catch(() => {});
  }
}
