/**
 * The HTTP senders of the webhook benches, in a worker of their own so that they run on
 * another thread than the server they measure (and than the XMPP client counting what the
 * agent delivers). Receives `{ url, deliveries, senders }`, answers
 * {@linkcode SendersResult} or `{ error }`.
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
  /** When each request was made and when its answer came: epoch ms, sub-millisecond. */
  sentAt: number[];
  answeredAt: number[];
}

const epochNow = () => performance.timeOrigin + performance.now();

self.onmessage = async (event: MessageEvent<Job>) => {
  const { url, deliveries, senders } = event.data;
  let next = 0;
  const result: SendersResult = { seconds: 0, statuses: [], sentAt: [], answeredAt: [] };
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: senders }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const { body, headers } = deliveries[index]!;
        result.sentAt[index] = epochNow();
        try {
          const response = await fetch(url, { method: "POST", body, headers });
          await response.body?.cancel();
          result.statuses[index] = response.status;
        } catch {
          result.statuses[index] = 0;
        }
        result.answeredAt[index] = epochNow();
      }
    }));
    result.seconds = (performance.now() - started) / 1000;
    self.postMessage(result);
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
