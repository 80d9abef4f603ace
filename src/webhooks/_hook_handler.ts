// One route's POST: size, signature, rate, body, then the durable hand-over. Every step that
// refuses answers at once: nothing after it runs, nothing is stored, no LLM is asked.
import type { Context } from "hono";
import type { WebhookRouteConfig } from "../config/mod.ts";
import { errorMessage, type Logger } from "../log/mod.ts";
import { RateLimiter } from "./rate_limiter.ts";
import { type LimitedBody, readLimitedBody } from "./read_limited_body.ts";
import { templateFields } from "./render_template.ts";
import { signatureVerifier } from "./verify_signature.ts";
import type { DeliverWebhook, WebhookDelivery, WebhookPayload } from "./webhook_delivery.ts";
import type { DeliveryCounters } from "./webhook_metrics.ts";
import type { WebhookEnv } from "./webhook_env.ts";

/** What every route's handler shares. */
export interface HookContext {
  deliver: DeliverWebhook;
  counters: DeliveryCounters;
  log: Logger;
  now: () => number;
  newId: () => string;
  maxBodyKb: number;
  bodyTimeoutMs: number;
  maxPendingBodyBytes: number;
  /** Bytes of the bodies being read or handled right now, all routes together. */
  pending: { bytes: number };
}

/** What one answer is logged with: never the body, never a signature or a secret. */
interface Outcome {
  status: 200 | 202 | 401 | 408 | 413 | 415 | 429 | 503;
  body: Record<string, unknown>;
  what: string;
  deliveryId: string | null;
  size: number;
  headers?: Record<string, string>;
}

/** The POST handler of one route. */
export function hookHandler(route: WebhookRouteConfig, shared: HookContext) {
  const verify = signatureVerifier(route.signature, route.secret, { now: shared.now });
  const limiter = new RateLimiter(route.rate_per_minute, { now: shared.now });
  const needsFields = route.mode === "notify" && templateFields(route.template ?? "").length > 0;
  const maxBytes = shared.maxBodyKb * 1024;
  const decoder = new TextDecoder("utf-8", { fatal: true });

  function answer(c: Context<WebhookEnv>, outcome: Outcome): Response {
    shared.counters.count(route.path, outcome.status);
    const id = outcome.deliveryId === null ? "none" : JSON.stringify(outcome.deliveryId);
    const line =
      `Webhook ${route.path}: ${outcome.status} ${outcome.what}, delivery ${id}, ${outcome.size} bytes`;
    if (outcome.status === 503) shared.log.error(line);
    else if (outcome.status === 401) shared.log.warn(line);
    else shared.log.info(line);
    return c.json(outcome.body, outcome.status, outcome.headers);
  }

  async function readBody(c: Context<WebhookEnv>, take: (bytes: number) => boolean) {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), shared.bodyTimeoutMs);
    try {
      return await readLimitedBody(c.req.raw, maxBytes, { signal: deadline.signal, take });
    } finally {
      clearTimeout(timer);
    }
  }

  return async function handleHook(c: Context<WebhookEnv>): Promise<Response> {
    // All bodies in hand share one budget, so many slow senders cannot exhaust the memory.
    let held = 0;
    const take = (bytes: number) => {
      if (shared.pending.bytes + bytes > shared.maxPendingBodyBytes) return false;
      shared.pending.bytes += bytes;
      held += bytes;
      return true;
    };
    try {
      return await handle(c, await readBody(c, take));
    } finally {
      shared.pending.bytes -= held;
    }
  };

  async function handle(c: Context<WebhookEnv>, body: LimitedBody): Promise<Response> {
    if (!body.ok && body.reason === "over budget") {
      return answer(c, {
        status: 503,
        body: { error: "Too many deliveries arriving at once; try again shortly" },
        what: "refused: the bodies being read fill the memory budget",
        deliveryId: null,
        size: body.size,
        headers: { "Retry-After": "5", Connection: "close" },
      });
    }
    if (!body.ok && body.reason === "too slow") {
      return answer(c, {
        status: 408,
        body: { error: `The body did not arrive within ${shared.bodyTimeoutMs / 1000} s` },
        what: "too slow",
        deliveryId: null,
        size: body.size,
        headers: { Connection: "close" },
      });
    }
    if (!body.ok) {
      return answer(c, {
        status: 413,
        body: { error: `The body is larger than ${shared.maxBodyKb} KiB` },
        what: body.declared ? "too large (Content-Length)" : "too large (read so far)",
        deliveryId: null,
        size: body.size,
        // The rest of the body is not read: the connection cannot carry another request.
        headers: { Connection: "close" },
      });
    }
    const size = body.bytes.length;
    const verdict = await verify(c.req.raw.headers, body.bytes);
    if (!verdict.ok) {
      return answer(c, {
        status: 401,
        body: { error: "Invalid or missing signature" },
        what: `refused: ${verdict.reason}`,
        deliveryId: null,
        size,
      });
    }
    const { deliveryId } = verdict;
    const taken = limiter.take();
    if (!taken.ok) {
      return answer(c, {
        status: 429,
        body: { error: `More than ${route.rate_per_minute} deliveries a minute` },
        what: "over the route's rate",
        deliveryId,
        size,
        headers: { "Retry-After": String(taken.retryAfterSecs) },
      });
    }
    const payload = readPayload(decoder, body.bytes, needsFields);
    if (payload === undefined) {
      return answer(c, {
        status: 415,
        body: {
          error: needsFields
            ? "The body must be a JSON object: the route's template uses its fields"
            : "The body must be UTF-8 text",
        },
        what: needsFields ? "not a JSON object" : "not UTF-8 text",
        deliveryId,
        size,
      });
    }
    const delivery: WebhookDelivery = {
      id: shared.newId(),
      route: route.path,
      to: route.to,
      mode: route.mode,
      instructions: route.instructions ?? null,
      template: route.template ?? null,
      deliveryId,
      receivedAt: new Date(shared.now()).toISOString(),
      contentType: c.req.header("content-type") ?? null,
      size,
      payload,
    };
    let result;
    try {
      result = await shared.deliver(delivery);
    } catch (error) {
      return answer(c, {
        status: 503,
        body: { error: "The event could not be stored; try again later" },
        what: `not stored: ${errorMessage(error)}`,
        deliveryId,
        size,
        headers: { "Retry-After": "30" },
      });
    }
    if (result.duplicate) {
      return answer(c, {
        status: 200,
        body: { id: result.id, duplicate: true },
        what: `already delivered as event ${result.id}`,
        deliveryId,
        size,
      });
    }
    return answer(c, {
      status: 202,
      body: { id: result.id },
      what: `stored as event ${result.id} for ${route.to} (${route.mode})`,
      deliveryId,
      size,
    });
  }
}

/** JSON when the body parses; text otherwise, unless the route needs a JSON object. */
function readPayload(
  decoder: TextDecoder,
  bytes: Uint8Array,
  needsFields: boolean,
): WebhookPayload | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return needsFields ? undefined : { type: "text", text };
  }
  // JSON.parse takes any depth, but printing it again (for the LLM, a template's field)
  // recurses: `[[[…]]]` 200,000 deep threw there, and the sender was told to retry forever.
  if (!nestsWithin(value, MAX_JSON_DEPTH)) return needsFields ? undefined : { type: "text", text };
  if (needsFields && (typeof value !== "object" || value === null || Array.isArray(value))) {
    return undefined;
  }
  return { type: "json", value };
}

/** Deeper than any real sender's payload, far shallower than what overflows the stack. */
const MAX_JSON_DEPTH = 256;

/** Whether arrays and objects in `value` nest at most `max` levels (walked without recursion). */
function nestsWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > max) return false;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return true;
}
