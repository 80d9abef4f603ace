/**
 * Runs tasks one after another per key and concurrently across keys, so two appends
 * to one file never interleave while different conversations never wait on each other.
 *
 * @module
 */

/** A serial queue per key; idle keys hold no memory. */
export class KeyedQueue {
  #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued before it under `key`; returns its result. */
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

  /** Resolves once every task queued so far, under any key, has settled. */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
