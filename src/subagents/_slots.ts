/** Slots per key (a conversation): at most `limit` holders of one key at once, others wait. */
export class KeyedSlots {
  #limit: number;
  #held = new Map<string, { busy: number; waiting: (() => void)[] }>();

  /** @param limit Holders of one key at once (at least 1). */
  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /** Waits for a slot of `key`; call the returned function to give it back. */
  async acquire(key: string): Promise<() => void> {
    let slot = this.#held.get(key);
    if (slot === undefined) this.#held.set(key, slot = { busy: 0, waiting: [] });
    if (slot.busy < this.#limit) slot.busy++;
    else await new Promise<void>((resolve) => slot!.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slot!.waiting.shift();
      if (next !== undefined) return next();
      slot!.busy--;
      if (slot!.busy === 0) this.#held.delete(key);
    };
  }
}
