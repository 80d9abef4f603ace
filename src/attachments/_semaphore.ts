/** Limits how many tasks run at once; waiters are served in arrival order. */
export class Semaphore {
  #free: number;
  #held = 0;
  #waiting: (() => void)[] = [];

  /** @param slots How many tasks may hold the semaphore at once (at least 1). */
  constructor(slots: number) {
    this.#free = checkedSlots(slots);
  }

  /** Whether nothing holds or waits for the semaphore. */
  get idle(): boolean {
    return this.#held === 0 && this.#waiting.length === 0;
  }

  /**
   * Waits for a slot and returns the function that frees it.
   *
   * @throws The signal's reason when it aborts before a slot is free (nothing is held then).
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const grant = () => {
      this.#held++;
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        this.#held--;
        const next = this.#waiting.shift();
        if (next) next();
        else this.#free++;
      };
    };
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(grant());
    }
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(grant());
      };
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(wake), 1);
        reject(signal?.reason);
      };
      this.#waiting.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Runs `task` once a slot is free, and frees it when the task settles. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/** One {@linkcode Semaphore} per key (a host, a conversation), dropped when idle. */
export class KeyedSemaphore {
  #slots: number;
  #byKey = new Map<string, Semaphore>();

  /** @param slots How many tasks may hold each key at once (at least 1). */
  constructor(slots: number) {
    this.#slots = checkedSlots(slots);
  }

  /** Waits for a slot of `key`; see {@linkcode Semaphore.acquire}. */
  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    let semaphore = this.#byKey.get(key);
    if (semaphore === undefined) {
      semaphore = new Semaphore(this.#slots);
      this.#byKey.set(key, semaphore);
    }
    const owner = semaphore;
    const drop = () => {
      if (owner.idle && this.#byKey.get(key) === owner) this.#byKey.delete(key);
    };
    try {
      const release = await owner.acquire(signal);
      return () => {
        release();
        drop();
      };
    } catch (error) {
      drop();
      throw error;
    }
  }
}

function checkedSlots(slots: number): number {
  if (!Number.isInteger(slots) || slots < 1) {
    throw new RangeError(`Concurrency must be a positive integer: "${slots}"`);
  }
  return slots;
}
