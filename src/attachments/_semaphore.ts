/** Limits how many tasks run at once; waiters are served in arrival order. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  /** @param slots How many tasks may hold the semaphore at once (at least 1). */
  constructor(slots: number) {
    if (!Number.isInteger(slots) || slots < 1) {
      throw new RangeError(`Concurrency must be a positive integer: "${slots}"`);
    }
    this.#free = slots;
  }

  /** Runs `task` once a slot is free, and frees it when the task settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
