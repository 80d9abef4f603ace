/**
 * What the listener hands on once a request is verified: plain data, JSON as it is, so it can
 * be written to the inbox and read back after a restart.
 *
 * @module
 */

/**
 * The body of a delivery. It is JSON when it parses as JSON (whatever the `Content-Type`
 * said); otherwise its text, kept only on routes that need no fields of it (agent mode, or a
 * template without `{{…}}`): a route that needs fields answers 415 to a body that is not a
 * JSON object.
 */
export type WebhookPayload =
  | { type: "json"; value: unknown }
  | { type: "text"; text: string };

/** One verified delivery, accepted by the listener. */
export interface WebhookDelivery {
  /** The event's own id, given to the sender in the 202 answer (a UUID). */
  id: string;
  /** The route's path, e.g. `/hooks/ci`. */
  route: string;
  /** Where the result goes: a bare JID the agent may talk to, or a configured room. */
  to: string;
  /** `agent`: an LLM turn in `to`'s conversation; `notify`: `template` rendered and sent. */
  mode: "agent" | "notify";
  /** The route's instructions for the LLM (agent mode), from the config. */
  instructions: string | null;
  /** The route's template (notify mode), from the config. */
  template: string | null;
  /**
   * The sender's id for this delivery, the same on every retry: `X-GitHub-Delivery`
   * (github), `webhook-id` (standard), `Idempotency-Key` (bearer, when sent). `null` when the
   * sender gave none: such a delivery cannot be recognised when it comes again.
   */
  deliveryId: string | null;
  /** When the listener received it (ISO 8601). */
  receivedAt: string;
  /** The request's `Content-Type`, as sent. */
  contentType: string | null;
  /** Size of the raw body in bytes. */
  size: number;
  /** The body. */
  payload: WebhookPayload;
}

/** What {@linkcode DeliverWebhook} resolves to. */
export interface DeliverResult {
  /** The event id that stands for this delivery: its own, or that of the first one seen. */
  id: string;
  /** The sender's delivery id was already recorded: nothing new was stored. */
  duplicate: boolean;
}

/**
 * Records a delivery durably. It resolves only once the delivery is on disk (or is known as
 * a duplicate); the listener answers 202 only then. It rejects when it cannot store it (a
 * full disk): the sender gets 503 and retries.
 */
export type DeliverWebhook = (delivery: WebhookDelivery) => Promise<DeliverResult>;
