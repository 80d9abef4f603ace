/**
 * The HTTP senders of the webhook benches, in a worker of their own so that they run on
 * another thread than the server they measure (and than the XMPP client counting what the
 * agent delivers). Receives `{ url, deliveries, senders }`, answers
 * {@linkcode SendersResult} or `{ error }`; receives `{ clock: true }` and answers
 * `{ now }`, its `performance.now()`, so that the caller can place its times on its own clock.
 *
 * A request that fails (refused, reset) counts with status 0: nothing is thrown for one
 * delivery, so the caller can count what was accepted and what was not.
 *
 * @module
 */
/// <reference lib="deno.worker" />

interface Job {
  url: string;
  deliveries: { body: string; headers: Record<string, string> }[];
  senders: number;
}

/** What the senders did, delivery by delivery (in the order of `deliveries`). */
export interface SendersResult {
  /** From the first request to the last answer. */
  seconds: number;
  /** The answer's status; 0 when the request failed. */
  statuses: number[];
  /**
   * When each request was made and when its answer came: this thread's `performance.now()`
   * (see {@link ./webhook_senders.ts} for why not epoch times).
   */
  sentAt: number[];
  answeredAt: number[];
}

self.onmessage = async (event: MessageEvent<Job | { clock: true }>) => {
  if ("clock" in event.data) {
    self.postMessage({ now: performance.now() });
    return;
  }
  const { url, deliveries, senders } = event.data;
  let next = 0;
  const result: SendersResult = { seconds: 0, statuses: [], sentAt: [], answeredAt: [] };
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: senders }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const { body, headers } = deliveries[index]!;
        result.sentAt[index] = performance.now();
        try {
          const response = await fetch(url, { method: "POST", body, headers });
          await response.body?.cancel();
          result.statuses[index] = response.status;
        } catch {
          result.statuses[index] = 0;
        }
        result.answeredAt[index] = performance.now();
      }
    }));
    result.seconds = (performance.now() - started) / 1000;
    self.postMessage(result);
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
