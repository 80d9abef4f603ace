/**
 * One serial queue per key: tasks with the same key run in order, tasks with different
 * keys run concurrently. The agent keys it by conversation (one user's slow LLM call never
 * delays another user's reply), the memory store by file (appends never interleave).
 *
 * @module
 */

/**
 * Runs tasks serially per key and concurrently across keys.
 *
 * @example
 * ```ts
 * const queue = new KeyedQueue();
 * queue.run("alice@example.org", async () => {});
 * ```
 */
export class KeyedQueue {
  #tails = new Map<string, Promise<void>>();

  /** Number of keys with queued or running work. */
  get active(): number {
    return this.#tails.size;
  }

  /** Whether `key` has work queued or running. */
  busy(key: string): boolean {
    return this.#tails.has(key);
  }

  /**
   * Queues `task` after the tasks already queued for `key`.
   *
   * @returns A promise that settles with the task's outcome.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(() => {}, () => {});
    this.#tails.set(key, tail);
    tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves when every queued task has finished. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
