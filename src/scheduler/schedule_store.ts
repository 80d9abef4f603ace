/**
 * Where the scheduler keeps its state across restarts: users' tasks and the last runs of
 * every schedule, as one JSON text (`schedules.json` in the data directory).
 *
 * @module
 */

/** The scheduler's file, as text. */
export interface ScheduleStore {
  /** The saved text, or `undefined` when nothing was saved yet. */
  read(): Promise<string | undefined>;
  /**
   * Replaces the saved text; a crash leaves the old text or the new, never a mix.
   * @throws {Error} When it cannot be written (disk full, permissions).
   */
  write(text: string): Promise<void>;
  /**
   * Moves a saved text that cannot be read out of the way, kept for the operator to look at.
   * @returns Where it went.
   */
  setAside(): Promise<string>;
}

/** A {@linkcode ScheduleStore} in memory: tests and dry runs. */
export interface MemoryScheduleStore extends ScheduleStore {
  /** The saved text. */
  text: string | undefined;
  /** What {@linkcode ScheduleStore.setAside} moved away. */
  setAsideText: string | undefined;
  /** How many writes succeeded. */
  writes: number;
  /** When set, every write fails with this error (a full disk). */
  failWrites: Error | undefined;
}

/**
 * Creates a {@linkcode MemoryScheduleStore}.
 *
 * @param initial The text already saved.
 */
export function memoryScheduleStore(initial?: string): MemoryScheduleStore {
  const store: MemoryScheduleStore = {
    text: initial,
    setAsideText: undefined,
    writes: 0,
    failWrites: undefined,
    read: () => Promise.resolve(store.text),
    write: (text) => {
      if (store.failWrites !== undefined) return Promise.reject(store.failWrites);
      store.text = text;
      store.writes++;
      return Promise.resolve();
    },
    setAside: () => {
      store.setAsideText = store.text;
      store.text = undefined;
      return Promise.resolve("memory:schedules.json.damaged");
    },
  };
  return store;
}
