/**
 * Many users at once, each sending its messages one after the other, against a slow LLM:
 * served in parallel, the whole run takes `messages × delay`.
 *
 * @module
 */
import type { Driver } from "./driver.ts";

/** What {@linkcode concurrentUsers} measured. */
export interface ConcurrentResult {
  /** Wall time of the whole run, in milliseconds. */
  total_ms: number;
  /** Every round trip, in milliseconds. */
  times: number[];
}

/**
 * Runs every driver's conversation at the same time.
 *
 * @param drivers One per user.
 * @param options The bot's bare JID and how many messages each user sends.
 * @throws {Error} When an answer is wrong or does not come within 30 s.
 */
export async function concurrentUsers(
  drivers: readonly Driver[],
  options: { to: string; messages: number },
): Promise<ConcurrentResult> {
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(drivers.map(async (driver, user) => {
    for (let i = 0; i < options.messages; i++) {
      const text = `user ${user} message ${i}`;
      times.push(await driver.ask(options.to, text, `echo: ${text}`, 30_000));
    }
  }));
  return { total_ms: performance.now() - start, times };
}
