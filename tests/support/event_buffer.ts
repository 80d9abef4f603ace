/**
 * Keeps every event a test client received and lets a test wait for the next one it cares
 * about, or assert that none arrived.
 *
 * @module
 */

/** Options of {@linkcode EventBuffer.waitFor}. */
export interface WaitOptions {
  /**
   * How long to wait before failing.
   * @default {10000}
   */
  timeoutMs?: number;
  /**
   * What is awaited, for the error message.
   * @default {"a matching event"}
   */
  description?: string;
}

interface Waiter<T> {
  predicate: (event: T) => boolean;
  resolve: (event: T) => void;
  reject: (error: Error) => void;
}

/**
 * An append-only list of events. Each event can be taken once by {@linkcode EventBuffer.waitFor},
 * oldest first, so a test reads a conversation in order while unrelated events stay available.
 */
export class EventBuffer<T> {
  readonly #events: T[] = [];
  readonly #taken = new Set<number>();
  readonly #waiters = new Set<Waiter<T>>();
  readonly #watchers = new Set<(event: T) => void>();
  readonly #describe: (event: T) => string;
  #failure: Error | undefined;

  /** @param describe One line per event for error messages. */
  constructor(describe: (event: T) => string) {
    this.#describe = describe;
  }

  /** Every event received so far, taken or not, in arrival order. */
  get events(): readonly T[] {
    return this.#events;
  }

  /** Appends an event and hands it to the oldest waiter it satisfies. */
  push(event: T): void {
    const index = this.#events.push(event) - 1;
    for (const watcher of this.#watchers) watcher(event);
    for (const waiter of this.#waiters) {
      if (waiter.predicate(event)) {
        this.#taken.add(index);
        this.#waiters.delete(waiter);
        waiter.resolve(event);
        return;
      }
    }
  }

  /** Fails every current and future wait with `error` (the source of events is gone). */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
  }

  /**
   * Takes the oldest untaken event matching `predicate`, waiting for one if needed.
   *
   * @throws {Error} On timeout (the message lists the recent events) or when the source failed.
   */
  waitFor<E extends T>(predicate: (event: T) => event is E, options?: WaitOptions): Promise<E>;
  waitFor(predicate: (event: T) => boolean, options?: WaitOptions): Promise<T>;
  waitFor(predicate: (event: T) => boolean, options: WaitOptions = {}): Promise<T> {
    const index = this.#events.findIndex((event, i) => !this.#taken.has(i) && predicate(event));
    if (index >= 0) {
      this.#taken.add(index);
      return Promise.resolve(this.#events[index] as T);
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const description = options.description ?? "a matching event";
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No ${description} within ${timeoutMs} ms; ${this.summary()}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        predicate,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /**
   * Resolves after `ms` if no event matching `predicate` arrived at index `since` or later;
   * rejects as soon as one does.
   *
   * @param options.since First event index that counts (default: the current length); pass
   *   `events.length` read before the action under test to also catch earlier arrivals.
   * @throws {Error} Naming the unexpected event.
   */
  expectNone(
    predicate: (event: T) => boolean,
    ms: number,
    options: { since?: number; description?: string } = {},
  ): Promise<void> {
    const what = options.description ?? "event";
    const unexpected = (event: T) =>
      new Error(`Expected no ${what} but got: ${this.#describe(event)}`);
    const early = this.#events.slice(options.since ?? this.#events.length).find(predicate);
    if (early !== undefined) return Promise.reject(unexpected(early));
    return new Promise<void>((resolve, reject) => {
      const watcher = (event: T) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.#watchers.delete(watcher);
        reject(unexpected(event));
      };
      const timer = setTimeout(() => {
        this.#watchers.delete(watcher);
        resolve();
      }, ms);
      this.#watchers.add(watcher);
    });
  }

  /** A short account of the last events, for error messages. */
  summary(last = 10): string {
    if (this.#events.length === 0) return "nothing was received";
    const recent = this.#events.slice(-last).map((event) => `  ${this.#describe(event)}`);
    return `last ${recent.length} of ${this.#events.length} events:\n${recent.join("\n")}`;
  }
}
