/**
 * Sequential round trips to several targets, interleaved message by message so that every
 * target sees the same machine conditions (the figures compare them as ratios).
 *
 * @module
 */
import type { Driver } from "./driver.ts";
import { sleep } from "../../tests/support/loopback.ts";

/** One side of a comparison: who asks whom. */
export interface Target {
  driver: Driver;
  /** Bare JID of the bot. */
  to: string;
}

/**
 * The pause before each message, once the previous answer is in. A bot's work does not end
 * with its answer (the server's acknowledgement, the inbox, the ledgers): without a pause,
 * whichever target came next was timed while that work still ran on the shared cores.
 */
export const SETTLE_MS = 20;

/**
 * Sends `count` messages to each target in turn, one at a time, each `settleMs` after the
 * previous answer, after `warmUp` unmeasured ones. The order reverses every round, so that
 * no target always follows the same one.
 *
 * @returns The round trips in milliseconds, one array per target.
 * @throws {Error} When an answer is wrong or late.
 */
export async function interleavedRoundTrips(
  targets: readonly Target[],
  options: { count: number; warmUp: number; label: string; settleMs?: number },
): Promise<number[][]> {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const times = targets.map(() => [] as number[]);
  for (let i = -options.warmUp; i < options.count; i++) {
    for (const index of roundOrder(targets.length, i)) {
      const { driver, to } = targets[index]!;
      if (settleMs > 0) await sleep(settleMs);
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
