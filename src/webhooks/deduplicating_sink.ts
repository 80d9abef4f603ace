import { errorMessage, type Logger, silentLogger } from "../log/mod.ts";
import type { DeliveryLedger } from "./delivery_ledger.ts";
import type { DeliverResult, DeliverWebhook, WebhookDelivery } from "./webhook_delivery.ts";

/**
 * Stores one new delivery durably (the agent's inbox): it returns, or resolves, once the
 * delivery is on disk, and throws when it cannot be stored.
 */
export type RecordDelivery = (delivery: WebhookDelivery) => void | Promise<void>;

/** Options for {@linkcode deduplicatingSink}. */
export interface DeduplicatingSinkOptions {
  /**
   * Where a delivery id that could not be written to the ledger is reported.
   * @default {silentLogger()}
   */
  log?: Logger;
}

/**
 * The listener's `deliver`: each delivery is recorded once per sender's delivery id, across
 * restarts. A delivery whose id the ledger holds resolves as a duplicate of the event it was
 * accepted as, and nothing is recorded; one that arrives while the same id is being
 * recorded waits for that and is a duplicate too. A delivery without an id (a bearer sender
 * that sends no `Idempotency-Key`) is always recorded.
 *
 * The delivery is recorded first and its id written to the ledger just after, both
 * synchronous writes: a process killed between the two (a few microseconds) would record a
 * retry again, never lose one. At start, give the ledger the ids of the webhook events the
 * inbox still holds (`ledger.remember`, which keeps each id once) to close even that gap.
 *
 * A delivery recorded whose id cannot be written to the ledger (the disk filled up between
 * the two) is accepted all the same: it is stored and will reach the person, so a 503 would
 * only have its sender retry a delivery already made. Its id is kept in memory (a retry in
 * this run is a duplicate), and an error is logged.
 *
 * @param ledger The delivery ids already accepted.
 * @param record Stores a new delivery (e.g. `(delivery) => inbox.record(event, new Date())`).
 * @param options Where a failed ledger write is logged.
 * @returns The function the listener calls.
 * @example
 * ```ts
 * const deliver = deduplicatingSink(await DeliveryLedger.open(file), (delivery) => {
 *   inbox.record({ type: "webhook", delivery }, new Date(delivery.receivedAt));
 * });
 * ```
 */
export function deduplicatingSink(
  ledger: DeliveryLedger,
  record: RecordDelivery,
  options: DeduplicatingSinkOptions = {},
): DeliverWebhook {
  const log = options.log ?? silentLogger();
  const inFlight = new Map<string, Promise<string>>();
  return async function deliver(delivery): Promise<DeliverResult> {
    const deliveryId = delivery.deliveryId;
    if (deliveryId === null) {
      await record(delivery);
      return { id: delivery.id, duplicate: false };
    }
    const seen = ledger.lookup(delivery.route, deliveryId);
    if (seen !== undefined) return { id: seen, duplicate: true };
    const key = `${delivery.route}\n${deliveryId}`;
    const pending = inFlight.get(key);
    if (pending !== undefined) return { id: await pending, duplicate: true };
    const recording = (async () => {
      await record(delivery);
      try {
        ledger.remember(delivery.route, deliveryId, delivery.id);
      } catch (error) {
        log.error(
          `Webhook ${delivery.route}: event ${delivery.id} is stored, but its delivery id could ` +
            `not be written to the ledger (${errorMessage(error)}): ` +
            "a retry after the next restart would be delivered again",
        );
      }
      return delivery.id;
    })();
    inFlight.set(key, recording);
    try {
      return { id: await recording, duplicate: false };
    } finally {
      inFlight.delete(key);
    }
  };
}
