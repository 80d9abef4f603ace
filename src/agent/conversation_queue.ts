/**
 * One serial queue per conversation: messages of one conversation are handled in order,
 * different conversations run concurrently, so one user's slow LLM call never delays
 * another user's reply.
 *
 * @module
 */

/**
 * Runs tasks serially per key and concurrently across keys.
 *
 * @example
 * ```ts
 * const queue = new ConversationQueue();
 * queue.run("alice@localhost", async () => {});
 * ```
 */
export class ConversationQueue {
  #tails = new Map<string, Promise<void>>();

  /** Number of conversations with queued or running work. */
  get active(): number {
    return this.#tails.size;
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
