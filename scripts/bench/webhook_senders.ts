/**
 * Runs webhook senders on another thread (`webhook_senders_worker.ts`): many concurrent
 * senders POST signed deliveries to one URL, each as soon as its previous one is answered.
 *
 * @module
 */
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
 * @returns What each delivery got (status 0 when its request failed).
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
  try {
    return await new Promise<SendersResult>((resolve, reject) => {
      worker.onmessage = (event) => {
        if ("error" in event.data) reject(new Error(event.data.error));
        else resolve(event.data);
      };
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage({ url, deliveries, senders: options.senders });
    });
  } finally {
    worker.terminate();
  }
}
