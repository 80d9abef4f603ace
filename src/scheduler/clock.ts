/**
 * The scheduler's sense of time: the current instant and one-shot timers. The system clock
 * in production; {@linkcode FakeClock} in tests, so that no test waits for wall time.
 *
 * @module
 */

/** A timer handle, opaque to the scheduler. */
export type TimerHandle = unknown;

/** The current time and timers. */
export interface Clock {
  now(): Date;
  /** Calls `callback` once, `ms` milliseconds from now. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer that has not fired; a fired or unknown handle is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The wall clock and the runtime's timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};
