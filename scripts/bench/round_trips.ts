/**
 * Sequential round trips to several targets, interleaved message by message so that every
 * target sees the same machine conditions (the figures compare them as ratios).
 *
 * @module
 */
import type { Driver } from "./driver.ts";

/** One side of a comparison: who asks whom. */
export interface Target {
  driver: Driver;
  /** Bare JID of the bot. */
  to: string;
}

/**
 * Sends `count` messages to each target in turn, one at a time, each after the previous
 * answer, after `warmUp` unmeasured ones. The order reverses every round, so that no target
 * always follows the same one (whose work after its answer may spill into the next).
 *
 * @returns The round trips in milliseconds, one array per target.
 * @throws {Error} When an answer is wrong or late.
 */
export async function interleavedRoundTrips(
  targets: readonly Target[],
  options: { count: number; warmUp: number; label: string },
): Promise<number[][]> {
  const times = targets.map(() => [] as number[]);
  for (let i = -options.warmUp; i < options.count; i++) {
    for (const index of roundOrder(targets.length, i)) {
      const { driver, to } = targets[index]!;
      const text = `${options.label} ${i}`;
      const ms = await driver.ask(to, text, `echo: ${text}`);
      if (i >= 0) times[index]!.push(ms);
    }
  }
  return times;
}

/** The targets' indexes in round `round`: in order, then reversed, and so on. */
export function roundOrder(count: number, round: number): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  return round % 2 === 0 ? order : order.reverse();
}
