/**
 * Webhook to XMPP, one delivery at a time: a signed POST to a `notify` route, one to an
 * `agent` route (an LLM turn with the instant fake), and a chat message to the same agent
 * from another person, interleaved so that the three see the same machine conditions. For
 * each delivery: from the request being sent, and from its 202 coming back, to the message
 * arriving at the recipient's XMPP client.
 *
 * The agent sends a notification as soon as the event is in its inbox, while the 202 is on
 * its way back, so "from the 202" can be zero or a little below: sender and recipient are in
 * this one process, and either may be handled first.
 *
 * @module
 */
import { signWebhook } from "../../src/webhooks/mod.ts";
import { type DeliveryWatcher, epochNow } from "./delivery_watcher.ts";
import type { Driver } from "./driver.ts";

/** A route of the agent under test. */
export interface BenchRoute {
  /** Full URL of the route, e.g. `http://127.0.0.1:8787/hooks/notify`. */
  url: string;
  /** Its `github` secret. */
  secret: string;
}

/** Options of {@linkcode webhookLatency}. */
export interface WebhookLatencyOptions {
  notify: BenchRoute;
  agent: BenchRoute;
  /** The client the routes deliver to. */
  watcher: DeliveryWatcher;
  /** Another person chatting with the same agent: the reference. */
  chat: { driver: Driver; to: string };
  /** Measured deliveries per kind. */
  count: number;
  /** Unmeasured ones first. */
  warmUp: number;
}

/** Times in milliseconds, one per measured delivery. */
export interface WebhookLatencyResult {
  notify: { fromSend: number[]; from202: number[] };
  agent: { fromSend: number[]; from202: number[] };
  /** The chat round trips to the same agent. */
  chat: number[];
}

/**
 * The body every bench delivery carries: its delivery id, which the notify template and the
 * fake LLM's echo put in the message, so that the recipient can tell deliveries apart.
 */
export function deliveryBody(deliveryId: string, run: number): string {
  return JSON.stringify({
    id: deliveryId,
    status: run % 7 === 0 ? "failed" : "passed",
    branch: "main",
    run,
    url: `https://ci.example.org/runs/${run}`,
  });
}

/** The delivery id in a message from the agent, e.g. `wh-agent-12`. */
export function deliveryIdIn(body: string): string | undefined {
  return /\bwh-[a-z]+-\d+\b/.exec(body)?.[0];
}

/**
 * Sends the deliveries and the chat messages in turn, each after the previous arrived.
 *
 * @throws {Error} When a delivery is not answered 202, or its message does not arrive.
 */
export async function webhookLatency(
  options: WebhookLatencyOptions,
): Promise<WebhookLatencyResult> {
  const result: WebhookLatencyResult = {
    notify: { fromSend: [], from202: [] },
    agent: { fromSend: [], from202: [] },
    chat: [],
  };
  for (let i = -options.warmUp; i < options.count; i++) {
    const run = i + options.warmUp;
    for (const kind of ["notify", "agent"] as const) {
      const times = await deliverOne(options[kind], options.watcher, `wh-${kind}-${run}`, run);
      if (i < 0) continue;
      result[kind].fromSend.push(times.fromSend);
      result[kind].from202.push(times.from202);
    }
    const text = `chat ${run}`;
    const ms = await options.chat.driver.ask(options.chat.to, text, `echo: ${text}`);
    if (i >= 0) result.chat.push(ms);
  }
  return result;
}

async function deliverOne(
  route: BenchRoute,
  watcher: DeliveryWatcher,
  deliveryId: string,
  run: number,
): Promise<{ fromSend: number; from202: number }> {
  const body = deliveryBody(deliveryId, run);
  const headers = await signWebhook("github", route.secret, body, { deliveryId });
  const sentAt = epochNow();
  const response = await fetch(route.url, {
    method: "POST",
    body,
    headers: { ...headers, "Content-Type": "application/json" },
  });
  await response.body?.cancel();
  const answeredAt = epochNow();
  if (response.status !== 202) {
    throw new Error(`Expected 202 for delivery "${deliveryId}", got ${response.status}`);
  }
  const arrival = await watcher.waitFor(deliveryId);
  return { fromSend: arrival.at - sentAt, from202: arrival.at - answeredAt };
}
