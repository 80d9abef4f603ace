/**
 * The webhook listener, built from `[webhooks]` and wired to the agent: each verified
 * delivery becomes the agent's webhook event, written to the inbox before the sender gets
 * its 202; a delivery id already accepted (the ledger, which survives restarts) gets 200.
 *
 * @module
 */
import type { Agent, InboxEvent, WebhookEvent } from "../agent/mod.ts";
import type { LoadedConfig } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AgentHealth, AgentMetrics, WebhookDelivery } from "../webhooks/mod.ts";
import { renderTemplate } from "../webhooks/render_template.ts";
import { untrustedPayload } from "../webhooks/untrusted_payload.ts";

/** What the listener needs from the running agent. */
export interface WebhookWiring {
  agent: Agent;
  log: Logger;
  health: () => AgentHealth;
  metrics: () => AgentMetrics;
  /** What the inbox still held at start: its webhook deliveries' ids are known already. */
  left: readonly { event: InboxEvent }[];
}

/**
 * Starts the listener when the config has `[webhooks]`.
 *
 * @returns How to stop it, or `undefined` when there is none.
 * @throws {Error} When the address cannot be listened on (in use, not permitted).
 */
export async function startWebhooks(
  loaded: LoadedConfig,
  wiring: WebhookWiring,
): Promise<{ stop(): Promise<void> } | undefined> {
  const settings = loaded.config.webhooks;
  if (settings === undefined) return undefined;
  // The listener and its HTTP framework load only for a config that has webhooks.
  const { deduplicatingSink, DeliveryLedger, denoLedgerFile, serveWebhooks, webhookApp } =
    await import("../webhooks/mod.ts");
  const folder = `${loaded.dataDir}/webhooks`;
  await Deno.mkdir(folder, { recursive: true });
  const ledger = await DeliveryLedger.open(
    denoLedgerFile(`${folder}/deliveries.jsonl`, { fsync: loaded.config.memory.fsync }),
  );
  // A process killed between the inbox write and the ledger's would accept a retry again.
  // The inbox was read back from a file, so its records may be anything (null, torn).
  for (const { event } of wiring.left as readonly { event: Partial<WebhookEvent> | null }[]) {
    if (
      event?.type === "webhook" && typeof event.route === "string" &&
      typeof event.deliveryId === "string" && typeof event.id === "string"
    ) {
      ledger.remember(event.route, event.deliveryId, event.id);
    }
  }
  const deliver = deduplicatingSink(ledger, (delivery) => {
    wiring.agent.accept(webhookEvent(delivery));
  }, { log: wiring.log });
  const app = webhookApp(settings, {
    deliver,
    health: wiring.health,
    metrics: wiring.metrics,
    log: wiring.log,
  });
  const server = serveWebhooks(app, { listen: settings.listen, log: wiring.log });
  return {
    stop: async () => {
      await server.shutdown();
      ledger.close();
    },
  };
}

/** The agent's event for a verified delivery. */
export function webhookEvent(delivery: WebhookDelivery): WebhookEvent {
  const body = delivery.payload.type === "json" ? delivery.payload.value : delivery.payload.text;
  return {
    type: "webhook",
    id: delivery.id,
    ...(delivery.deliveryId === null ? {} : { deliveryId: delivery.deliveryId }),
    route: delivery.route,
    to: delivery.to,
    mode: delivery.mode,
    ...(delivery.instructions === null ? {} : { instructions: delivery.instructions }),
    ...(delivery.mode === "agent"
      ? { payload: untrustedPayload(delivery) }
      : { text: renderTemplate(delivery.template ?? "", body) }),
    receivedAt: delivery.receivedAt,
  };
}
