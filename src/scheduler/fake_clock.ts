/**
 * A clock that moves only when told: the in-memory twin of the system clock, for tests of
 * anything driven by the scheduler.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { Clock, TimerHandle } from "./clock.ts";

interface Timer {
  at: number;
  order: number;
  callback: () => void;
}

/**
 * A manual clock. Timers fire only inside {@linkcode FakeClock.advance}, each at its own
 * instant and in order, and the work a timer starts is let settle before the next one fires.
 *
 * @example
 * ```ts
 * const clock = new FakeClock("2026-03-27T12:00:00Z");
 * clock.setTimeout(() => console.log(clock.now().toISOString()), 1_000);
 * await clock.advance(5_000); // logs 2026-03-27T12:00:01.000Z
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  #timers = new Map<number, Timer>();
  #nextId = 1;

  /** @param start The initial instant. */
  constructor(start: Date | string) {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), order: id, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === "number") this.#timers.delete(handle);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves the time forward by `ms`, firing every timer due on the way at its own instant.
   * Timers set by a callback fire too when they fall inside the window.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const timer = this.#earliest();
      if (timer === undefined || timer[1].at > end) break;
      const [id, { at, callback }] = timer;
      this.#timers.delete(id);
      this.#now = Math.max(this.#now, at);
      callback();
      await settle();
    }
    this.#now = end;
    await settle();
  }

  /** Moves the time forward to `instant` (see {@linkcode FakeClock.advance}). */
  advanceTo(instant: Date | string): Promise<void> {
    return this.advance(new Date(instant).getTime() - this.#now);
  }

  #earliest(): [number, Timer] | undefined {
    let found: [number, Timer] | undefined;
    for (const entry of this.#timers) {
      const [, timer] = entry;
      if (
        found === undefined || timer.at < found[1].at ||
        (timer.at === found[1].at && timer.order < found[1].order)
      ) found = entry;
    }
    return found;
  }
}

/**
 * Lets every pending promise chain run: one turn of the real event loop. Not `setTimeout(0)`,
 * which nested timers clamp to 4 ms a turn.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
