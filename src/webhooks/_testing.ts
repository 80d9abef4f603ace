// Test helpers: a config with one route per scheme, and an app wired to in-memory parts.
import type { WebhooksConfig } from "../config/mod.ts";
import { createLogger } from "../log/mod.ts";
import { deduplicatingSink } from "./deduplicating_sink.ts";
import { DeliveryLedger } from "./delivery_ledger.ts";
import { InMemoryLedgerFile } from "./in_memory_ledger_file.ts";
import { signWebhook } from "./sign_webhook.ts";
import type { SignatureScheme } from "./verify_signature.ts";
import { webhookApp, type WebhookAppOptions } from "./webhook_app.ts";
import type { DeliverWebhook, WebhookDelivery } from "./webhook_delivery.ts";
import type { AgentHealth, AgentMetrics } from "./webhook_metrics.ts";

export const GITHUB_SECRET = "ci-secret-0123456789";
export const STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const BEARER_SECRET = "bearer-token-0123456789";
export const ADMIN_TOKEN = "admin-token-0123456789";

/** 2026-12-01T10:00:00Z. */
export const START = Date.UTC(2026, 11, 1, 10, 0, 0);

/** A [webhooks] section as the config loader returns it. */
export function testConfig(overrides: Partial<WebhooksConfig> = {}): WebhooksConfig {
  return {
    listen: "127.0.0.1:8787",
    max_body_kb: 4,
    routes: [
      {
        path: "/hooks/ci",
        secret: GITHUB_SECRET,
        signature: "github",
        to: "alice@localhost",
        mode: "agent",
        instructions: "Summarise the build result in one line.",
        rate_per_minute: 60,
      },
      {
        path: "/hooks/deploy",
        secret: STANDARD_SECRET,
        signature: "standard",
        to: "dev@conference.localhost",
        mode: "notify",
        template: "Deployed {{version}} to {{env}}",
        rate_per_minute: 2,
      },
      {
        path: "/hooks/alert",
        secret: BEARER_SECRET,
        signature: "bearer",
        to: "alice@localhost",
        mode: "agent",
        rate_per_minute: 60,
      },
    ],
    ...overrides,
  };
}

/** The secret of each scheme's route in {@linkcode testConfig}. */
export const ROUTES: Record<SignatureScheme, { path: string; secret: string }> = {
  github: { path: "/hooks/ci", secret: GITHUB_SECRET },
  standard: { path: "/hooks/deploy", secret: STANDARD_SECRET },
  bearer: { path: "/hooks/alert", secret: BEARER_SECRET },
};

/** What a test sees of the agent's side: what was stored, the log, the clock. */
export interface TestBench {
  app: ReturnType<typeof webhookApp>;
  stored: WebhookDelivery[];
  lines: string[];
  clock: { now: number };
  health: AgentHealth;
}

export const METRICS: AgentMetrics = {
  messagesIn: 12,
  messagesOut: 10,
  llmCalls: 9,
  llmTokensIn: 1234,
  llmTokensOut: 56,
  errors: 1,
  queueDepth: 3,
};

/** An app over an in-memory ledger whose `record` keeps each delivery in `stored`. */
export async function testBench(
  config: WebhooksConfig = testConfig(),
  options: { deliver?: DeliverWebhook } & Partial<WebhookAppOptions> = {},
): Promise<TestBench> {
  const stored: WebhookDelivery[] = [];
  const lines: string[] = [];
  const clock = { now: START };
  const health: AgentHealth = { xmpp: "online", uptimeSecs: 42 };
  let ids = 0;
  const ledger = await DeliveryLedger.open(new InMemoryLedgerFile());
  const app = webhookApp(config, {
    deliver: deduplicatingSink(ledger, (delivery) => void stored.push(delivery)),
    health: () => health,
    metrics: () => METRICS,
    log: createLogger("webhooks", { level: "debug", write: (line) => lines.push(line) }),
    now: () => clock.now,
    newId: () => `event-${++ids}`,
    ...options,
  });
  return { app, stored, lines, clock, health };
}

/** A POST signed for the route of `scheme`, at the bench's clock. */
export async function signedPost(
  scheme: SignatureScheme,
  body: string,
  options: { deliveryId?: string; now?: number; headers?: Record<string, string> } = {},
): Promise<RequestInit> {
  const headers = await signWebhook(scheme, ROUTES[scheme].secret, body, {
    ...(options.deliveryId === undefined ? {} : { deliveryId: options.deliveryId }),
    timestamp: Math.floor((options.now ?? START) / 1000),
  });
  return {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers, ...options.headers },
  };
}
