/** A counting semaphore: at most `limit` holders at once, the others wait in order. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  /** @param limit How many may hold it at once (at least 1). */
  constructor(limit: number) {
    this.#free = Math.max(1, Math.floor(limit));
  }

  /** Waits for a slot; call the returned function to give it back. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#free++;
      else next();
    };
  }
}
