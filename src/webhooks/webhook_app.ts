import { type Context, Hono } from "hono";
import type { WebhooksConfig } from "../config/mod.ts";
import { type Logger, silentLogger } from "../log/mod.ts";
import { classifyAddress } from "../net/mod.ts";
import { hookHandler } from "./_hook_handler.ts";
import { signatureVerifier } from "./verify_signature.ts";
import type { DeliverWebhook } from "./webhook_delivery.ts";
import type { WebhookEnv } from "./webhook_env.ts";
import {
  type AgentHealth,
  type AgentMetrics,
  DeliveryCounters,
  prometheusText,
  UNKNOWN_ROUTE,
} from "./webhook_metrics.ts";

/** What the webhook app needs from the agent, and what tests replace. */
export interface WebhookAppOptions {
  /** Records a verified delivery durably; the app answers 202 once it resolves. */
  deliver: DeliverWebhook;
  /** The agent's state, for `/healthz` and `/status`. */
  health: () => AgentHealth;
  /** The agent's counters, for `/status` and `/metrics`. */
  metrics: () => AgentMetrics;
  /**
   * Where the app counts its answers by route and status (give one to read them elsewhere).
   * @default {new DeliveryCounters()}
   */
  counters?: DeliveryCounters;
  /**
   * One line per delivery: route, status, delivery id, size (never the body or a signature).
   * @default {silentLogger()}
   */
  log?: Logger;
  /**
   * The clock in milliseconds: rate limits, the `standard` timestamp window, `receivedAt`.
   * @default {Date.now}
   */
  now?: () => number;
  /**
   * Makes an event id.
   * @default {crypto.randomUUID}
   */
  newId?: () => string;
  /**
   * Time a request's body may take to arrive, in milliseconds; a slower one gets 408.
   * @default {30000}
   */
  bodyTimeoutMs?: number;
  /**
   * Bytes that the bodies being read and handled may hold together, all routes included; a
   * request whose body would pass it gets 503 with `Retry-After`, and is read no further.
   * @default {67108864} (64 MiB)
   */
  maxPendingBodyBytes?: number;
}

/**
 * The webhook listener as a Hono app, with no I/O of its own (serve it with
 * `serveWebhooks`, or drive it in-process with `app.request`):
 *
 * - `POST <route.path>`: 202 `{"id": …}` once `deliver` has stored the event; 200
 *   `{"id": …, "duplicate": true}` for a delivery id already accepted; 401 for a missing or
 *   wrong signature or a stale `standard` timestamp; 413 past `max_body_kb` (by
 *   `Content-Length`, or counted while reading); 415 for a body that is not UTF-8, or not a
 *   JSON object when the route's template uses fields; 429 past `rate_per_minute` (with
 *   `Retry-After`); 408 for a body slower than `bodyTimeoutMs`; 503 when the event could not
 *   be stored, or the bodies in hand fill `maxPendingBodyBytes`. Another method: 405.
 * - `GET /healthz`: 200 `{"xmpp":"online","uptime_secs":…}` when connected, else 503.
 * - `GET /status` (JSON) and `GET /metrics` (Prometheus text): from a loopback peer, or with
 *   `Authorization: Bearer <admin_token>`; otherwise 401 (403 without an admin token).
 * - Anything else: 404.
 *
 * @param config The validated `[webhooks]` section.
 * @param options The agent's side.
 * @returns The app; its `fetch(request, { remoteAddress })` answers one request.
 * @throws {TypeError} When a `standard` route's secret is not `whsec_` and base64.
 */
export function webhookApp(config: WebhooksConfig, options: WebhookAppOptions): Hono<WebhookEnv> {
  const counters = options.counters ?? new DeliveryCounters();
  const log = options.log ?? silentLogger();
  const now = options.now ?? Date.now;
  const app = new Hono<WebhookEnv>();
  const shared = {
    deliver: options.deliver,
    counters,
    log,
    now,
    newId: options.newId ?? (() => crypto.randomUUID()),
    maxBodyKb: config.max_body_kb,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
    maxPendingBodyBytes: options.maxPendingBodyBytes ?? 64 * 1024 * 1024,
    pending: { bytes: 0 },
  };
  const admin = config.admin_token === undefined
    ? undefined
    : signatureVerifier("bearer", config.admin_token);

  for (const route of config.routes) {
    app.post(route.path, hookHandler(route, shared));
    app.all(route.path, (c) => {
      counters.count(route.path, 405);
      log.info(`Webhook ${route.path}: 405 ${c.req.method} instead of POST`);
      return c.json({ error: "Only POST" }, 405, { Allow: "POST" });
    });
  }

  app.get("/healthz", (c) => {
    const health = options.health();
    return c.json(healthBody(health), health.xmpp === "online" ? 200 : 503);
  });
  app.get("/status", async (c) => {
    const refused = await refuseRemote(c, admin);
    if (refused !== undefined) return refused;
    const metrics = options.metrics();
    return c.json({
      ...healthBody(options.health()),
      messages_in: metrics.messagesIn,
      messages_out: metrics.messagesOut,
      llm_calls: metrics.llmCalls,
      llm_tokens_in: metrics.llmTokensIn,
      llm_tokens_out: metrics.llmTokensOut,
      errors: metrics.errors,
      queue_depth: metrics.queueDepth,
      webhooks: {
        listen: config.listen,
        routes: config.routes.map((route) => ({
          path: route.path,
          signature: route.signature,
          mode: route.mode,
          to: route.to,
          answers: counters.byStatus(route.path),
        })),
        unknown_paths: counters.byStatus(UNKNOWN_ROUTE)["404"] ?? 0,
      },
    });
  });
  app.get("/metrics", async (c) => {
    const refused = await refuseRemote(c, admin);
    if (refused !== undefined) return refused;
    const text = prometheusText(options.health(), options.metrics(), counters);
    return c.body(text, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  for (const path of ["/healthz", "/status", "/metrics"]) {
    app.all(path, (c) => c.json({ error: "Only GET" }, 405, { Allow: "GET, HEAD" }));
  }

  app.notFound((c) => {
    counters.count(UNKNOWN_ROUTE, 404);
    log.debug(`Webhook: 404 ${c.req.method} ${JSON.stringify(c.req.path.slice(0, 200))}`);
    return c.json({ error: "Not found" }, 404);
  });
  app.onError((error, c) => {
    log.error(`Webhook ${c.req.path.slice(0, 200)}: 500 ${error.message}`);
    return c.json({ error: "Internal error" }, 500);
  });
  return app;
}

function healthBody(health: AgentHealth) {
  return { xmpp: health.xmpp, uptime_secs: Math.floor(health.uptimeSecs) };
}

/** `/status` and `/metrics`: a loopback peer, or the admin token; else a refusal. */
async function refuseRemote(
  c: Context<WebhookEnv>,
  admin: ReturnType<typeof signatureVerifier> | undefined,
): Promise<Response | undefined> {
  if (isLoopback(c.env?.remoteAddress)) return undefined;
  if (admin === undefined) {
    return c.json({ error: "Only from loopback (no admin_token is configured)" }, 403);
  }
  const verdict = await admin(c.req.raw.headers, new Uint8Array());
  if (verdict.ok) return undefined;
  return c.json({ error: "Only from loopback, or with the admin token" }, 401, {
    "WWW-Authenticate": 'Bearer realm="fluux-agent"',
  });
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  try {
    return classifyAddress(address.replace(/^\[|\]$/g, "")) === "loopback";
  } catch {
    return false; // Not an IP address (a Unix socket): not known to be this machine.
  }
}
