/**
 * The webhook listener: events from outside XMPP. A Hono app ({@linkcode webhookApp}) checks
 * each POST against its route's signature scheme, size limit and rate, hands a verified
 * delivery to `deliver` (which stores it durably: the sender gets 202 only then), and answers
 * `/healthz`, `/status` and `/metrics`; {@linkcode serveWebhooks} serves it with
 * `Deno.serve`. The core does no I/O: the agent injects storage, health and counters.
 *
 * @example
 * ```ts
 * import {
 *   DeliveryLedger, deduplicatingSink, denoLedgerFile, serveWebhooks, webhookApp,
 * } from "./src/webhooks/mod.ts";
 *
 * const ledger = await DeliveryLedger.open(denoLedgerFile(`${dataDir}/webhooks/deliveries.jsonl`));
 * const app = webhookApp(config.webhooks, {
 *   deliver: deduplicatingSink(ledger, (delivery) => {
 *     inbox.record({ type: "webhook", delivery }, new Date(delivery.receivedAt));
 *   }),
 *   health: () => ({ xmpp: online ? "online" : "offline", uptimeSecs }),
 *   metrics: () => counters,
 *   log: log.child("webhooks"),
 * });
 * const server = serveWebhooks(app, { listen: config.webhooks.listen, signal });
 * ```
 *
 * @module
 */

export { webhookApp, type WebhookAppOptions } from "./webhook_app.ts";
export { serveWebhooks, type ServeWebhooksOptions, type WebhookServer } from "./serve_webhooks.ts";
export type { WebhookBindings, WebhookEnv } from "./webhook_env.ts";
export type {
  DeliverResult,
  DeliverWebhook,
  WebhookDelivery,
  WebhookPayload,
} from "./webhook_delivery.ts";
export {
  type AgentHealth,
  type AgentMetrics,
  DeliveryCounters,
  prometheusText,
  UNKNOWN_ROUTE,
} from "./webhook_metrics.ts";
export { deduplicatingSink, type RecordDelivery } from "./deduplicating_sink.ts";
export { DeliveryLedger, type DeliveryLedgerOptions, type LedgerFile } from "./delivery_ledger.ts";
export { InMemoryLedgerFile } from "./in_memory_ledger_file.ts";
export { denoLedgerFile, type DenoLedgerFileOptions } from "./deno_ledger_file.ts";
export {
  MAX_FIELD_CHARS,
  MISSING_FIELD,
  renderTemplate,
  templateFields,
} from "./render_template.ts";
export {
  untrustedPayload,
  type UntrustedPayloadOptions,
  webhookPrompt,
} from "./untrusted_payload.ts";
export {
  type SignatureScheme,
  type SignatureVerdict,
  type SignatureVerifier,
  signatureVerifier,
  type SignatureVerifierOptions,
  STANDARD_TOLERANCE_SECS,
} from "./verify_signature.ts";
export { signWebhook, type SignWebhookOptions } from "./sign_webhook.ts";
export { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
export { type LimitedBody, readLimitedBody } from "./read_limited_body.ts";
export { timingSafeEqual } from "./timing_safe_equal.ts";
