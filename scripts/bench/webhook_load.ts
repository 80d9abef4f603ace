/**
 * Webhook deliveries under load, through the agent to the person: many concurrent senders
 * (on another thread) POST signed deliveries with distinct ids to a `notify` route as fast
 * as they are answered, and the recipient's XMPP client counts every message that arrives.
 * A delivery is lost when it was accepted (202) and its message never came.
 *
 * @module
 */
import { signWebhook } from "../../src/webhooks/mod.ts";
import { cpuSnapshot, type CpuUsage, cpuUsage } from "./cpu_usage.ts";
import type { DeliveryWatcher } from "./delivery_watcher.ts";
import { sendFromWorker, type SignedDelivery } from "./webhook_senders.ts";
import { type BenchRoute, deliveryBody } from "./webhook_latency.ts";

/** Options of {@linkcode webhookLoad}. */
export interface WebhookLoadOptions {
  route: BenchRoute;
  watcher: DeliveryWatcher;
  /** Deliveries in all. */
  count: number;
  /** Concurrent senders. */
  senders: number;
  /** Stop waiting for what is missing once no message came for this long. @default {15000} */
  quietMs?: number;
  /** Processes whose CPU use over the run is reported, by name. @default {{}} */
  pids?: Record<string, number>;
}

/** What {@linkcode webhookLoad} measured. */
export interface WebhookLoadResult {
  sent: number;
  /** Answered 202. */
  accepted: number;
  /** Answered anything else, or not answered: status → count (0: the request failed). */
  refused: Record<string, number>;
  /** Distinct deliveries whose message arrived. */
  received: number;
  /** Accepted, and no message came. */
  lost: number;
  /** Messages that arrived for a delivery already received. */
  duplicates: number;
  /** 202s a second, over the senders' run. */
  accepted_per_s: number;
  /** Messages a second at the recipient, from the first request to the last arrival. */
  received_per_s: number;
  /**
   * Messages a second at the recipient after the last 202: how fast the agent sends out the
   * backlog once it has no HTTP work; `NaN` when fewer than 50 were left by then.
   */
  drain_per_s: number;
  /** From the first request to the last arrival, in seconds. */
  secs: number;
  /** Each received delivery, from its request being sent to its message arriving (ms). */
  latencies: number[];
  /** CPU use from the first request until the messages settled. */
  cpu: CpuUsage;
}

/**
 * Signs `count` deliveries, sends them from `senders` concurrent senders, then waits for
 * their messages.
 *
 * @throws {Error} When the senders' worker fails.
 */
export async function webhookLoad(options: WebhookLoadOptions): Promise<WebhookLoadResult> {
  const ids = Array.from({ length: options.count }, (_, i) => `wh-load-${i}`);
  // Signing is the sender's work: done before the clock starts.
  const deliveries: SignedDelivery[] = await Promise.all(ids.map(async (deliveryId, run) => {
    const body = deliveryBody(deliveryId, run);
    const headers = await signWebhook("github", options.route.secret, body, { deliveryId });
    return { body, headers: { ...headers, "Content-Type": "application/json" } };
  }));
  const before = { count: options.watcher.count, duplicates: options.watcher.duplicates };
  const cpuBefore = cpuSnapshot(options.pids ?? {});
  const sent = await sendFromWorker(options.route.url, deliveries, { senders: options.senders });
  const accepted = ids.filter((_, i) => sent.statuses[i] === 202);
  const refused: Record<string, number> = {};
  for (const status of sent.statuses) {
    if (status !== 202) refused[status] = (refused[status] ?? 0) + 1;
  }
  await options.watcher.settle(before.count + accepted.length, options.quietMs ?? 15_000);
  const cpu = cpuUsage(cpuBefore, cpuSnapshot(options.pids ?? {}));
  const start = Math.min(...sent.sentAt);
  let last = start;
  const latencies: number[] = [];
  ids.forEach((id, i) => {
    const arrival = options.watcher.arrival(id);
    if (arrival === undefined) return;
    latencies.push(arrival.at - sent.sentAt[i]!);
    last = Math.max(last, arrival.at);
  });
  const secs = (last - start) / 1000;
  const lastAnswer = Math.max(...sent.answeredAt);
  const backlog = ids.filter((id) => (options.watcher.arrival(id)?.at ?? 0) > lastAnswer).length;
  return {
    sent: ids.length,
    accepted: accepted.length,
    refused,
    received: latencies.length,
    lost: accepted.filter((id) => options.watcher.arrival(id) === undefined).length,
    duplicates: options.watcher.duplicates - before.duplicates,
    accepted_per_s: accepted.length / sent.seconds,
    received_per_s: latencies.length / secs,
    drain_per_s: backlog < 50 ? NaN : backlog / ((last - lastAnswer) / 1000),
    secs,
    latencies,
    cpu,
  };
}
