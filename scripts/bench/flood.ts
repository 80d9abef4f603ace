/**
 * One user sends many messages as fast as the socket takes them; every one must be answered,
 * in order.
 *
 * @module
 */
import type { Driver } from "./driver.ts";

/** What {@linkcode flood} measured. */
export interface FloodResult {
  sent: number;
  received: number;
  /** Messages whose answer never came. */
  lost: number;
  /** Whether the answers came exactly in the order of the messages. */
  in_order: boolean;
  /** From the first send to the last answer, in seconds. */
  secs: number;
}

/**
 * Floods `to` with `count` numbered messages and collects the answers until all are in or
 * none came for `quietMs`.
 */
export async function flood(
  driver: Driver,
  options: { to: string; count: number; quietMs?: number },
): Promise<FloodResult> {
  const { to, count } = options;
  const expected = (i: number) => `echo: flood ${i}`;
  const bodies: string[] = [];
  const start = performance.now();
  let last = start;
  const collecting = (async () => {
    while (bodies.length < count) {
      try {
        const reply = await driver.nextReply(to, options.quietMs ?? 30_000);
        bodies.push(reply.body);
        last = reply.at;
      } catch {
        return;
      }
    }
  })();
  for (let i = 0; i < count; i++) await driver.chat(to, `flood ${i}`);
  await collecting;
  const wanted = new Set(Array.from({ length: count }, (_, i) => expected(i)));
  const answered = new Set(bodies.filter((body) => wanted.has(body)));
  return {
    sent: count,
    received: bodies.length,
    lost: count - answered.size,
    in_order: bodies.length === count && bodies.every((body, i) => body === expected(i)),
    secs: (last - start) / 1000,
  };
}
