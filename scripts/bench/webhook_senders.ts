/**
 * Runs webhook senders on another thread (`webhook_senders_worker.ts`): many concurrent
 * senders POST signed deliveries to one URL, each as soon as its previous one is answered.
 *
 * The worker's times are placed on this thread's clock ({@linkcode epochNow}) through a
 * handshake, not by the worker's own epoch times: each thread's `performance.timeOrigin` is
 * the wall clock read when the thread started, so a clock stepped between this process's start
 * and the worker's (a machine's time being corrected) shifted every worker time by the step; one
 * bench run put deliveries' messages 4.4 s before their POSTs.
 *
 * @module
 */
import { epochNow } from "./delivery_watcher.ts";
import type { SendersResult } from "./webhook_senders_worker.ts";

export type { SendersResult };

/** A delivery ready to send: its raw body and its headers, signature included. */
export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * POSTs every delivery to `url` from `senders` concurrent senders on a worker thread.
 *
 * @returns What each delivery got (status 0 when its request failed), and when, on
 *   {@linkcode epochNow}'s clock.
 * @throws {Error} When the worker fails as a whole.
 */
export async function sendFromWorker(
  url: string,
  deliveries: readonly SignedDelivery[],
  options: { senders: number },
): Promise<SendersResult> {
  const worker = new Worker(new URL("./webhook_senders_worker.ts", import.meta.url), {
    type: "module",
  });
  const ask = <T>(message: unknown) =>
    new Promise<T>((resolve, reject) => {
      worker.onmessage = (event) => {
        if ("error" in event.data) reject(new Error(event.data.error));
        else resolve(event.data);
      };
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(message);
    });
  try {
    // The worker's clock against this one's: the reading of the quickest of a few round trips,
    // taken to be at its middle.
    let offset = 0;
    let quickest = Infinity;
    for (let i = 0; i < 5; i++) {
      const before = epochNow();
      const { now } = await ask<{ now: number }>({ clock: true });
      const after = epochNow();
      if (after - before < quickest) {
        quickest = after - before;
        offset = (before + after) / 2 - now;
      }
    }
    const result = await ask<SendersResult>({ url, deliveries, senders: options.senders });
    return {
      ...result,
      sentAt: result.sentAt.map((at) => at + offset),
      answeredAt: result.answeredAt.map((at) => at + offset),
    };
  } finally {
    worker.terminate();
  }
}
