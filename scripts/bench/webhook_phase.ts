/**
 * Webhooks through the real agent: an agent of its own with a `[webhooks]` listener and two
 * `github` routes to one recipient (`notify`, sent as is; `agent`, an LLM turn with the
 * instant fake), the recipient a real XMPP client in this process. First one delivery at a
 * time (`webhook_latency.ts`), then many concurrent senders (`webhook_load.ts`).
 *
 * @module
 */
import { freePorts } from "../../tests/support/loopback.ts";
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import { DeliveryWatcher } from "./delivery_watcher.ts";
import { prosodyPid } from "./proc_memory.ts";
import type { Driver } from "./driver.ts";
import { deliveryIdIn, webhookLatency, type WebhookLatencyResult } from "./webhook_latency.ts";
import { webhookLoad, type WebhookLoadResult } from "./webhook_load.ts";

/** Options of {@linkcode webhookPhase}. */
export interface WebhookPhaseOptions {
  /** Base URL of the fake LLM. */
  llmUrl: string;
  /** Memory directory of the agent, which the caller owns. */
  dataDir: string;
  /** Account of the agent (registered, password `botpass`). */
  agentUser: string;
  /** Account the routes deliver to (registered, password = user name). */
  recipient: string;
  /** Another person, logged in: chats with the same agent for the reference round trip. */
  chat: Driver;
  /** Measured deliveries per mode, one at a time. */
  latencyCount: number;
  warmUp: number;
  /** Deliveries of the load run, and its concurrent senders. */
  loadCount: number;
  senders: number;
  /** Called with each step's description. */
  progress(text: string): void;
}

/** What {@linkcode webhookPhase} measured. */
export interface WebhookPhaseResult {
  latency: WebhookLatencyResult;
  load: WebhookLoadResult;
}

const SECRET = "bench-hook-secret-0123456789";

/**
 * Starts the agent, measures, stops it.
 *
 * @throws {Error} When the agent does not come online, or a delivery is refused or missing
 *   in the latency run.
 */
export async function webhookPhase(
  prosody: ProsodyHandle,
  options: WebhookPhaseOptions,
): Promise<WebhookPhaseResult> {
  const [port] = freePorts(1) as [number];
  const recipient = `${options.recipient}@${prosody.domain}`;
  const agentJid = `${options.agentUser}@${prosody.domain}`;
  const watcher = await DeliveryWatcher.connect({
    host: prosody.host,
    port: prosody.c2sPort,
    domain: prosody.domain,
    user: options.recipient,
    password: options.recipient,
    from: agentJid,
    key: ({ body }) => deliveryIdIn(body),
  });
  try {
    const agent = await startBenchAgent(prosody, {
      llmUrl: options.llmUrl,
      dataDir: options.dataDir,
      user: options.agentUser,
      env: { BENCH_HOOK_SECRET: SECRET },
      extraToml: webhooksToml(port, recipient),
    });
    try {
      // The listener is up before the agent connects, so once it answers it takes POSTs.
      await waitAnswering(agent, options.chat, { jid: agentJid });
      const route = (path: string) => ({ url: `http://127.0.0.1:${port}${path}`, secret: SECRET });
      options.progress(
        `webhooks: ${options.latencyCount} deliveries each to a notify and an agent route, ` +
          "one at a time, with chat messages to the same agent",
      );
      const latency = await webhookLatency({
        notify: route("/hooks/notify"),
        agent: route("/hooks/agent"),
        watcher,
        chat: { driver: options.chat, to: agentJid },
        count: options.latencyCount,
        warmUp: options.warmUp,
      });
      options.progress(
        `webhooks: ${options.loadCount} deliveries from ${options.senders} concurrent senders`,
      );
      const load = await webhookLoad({
        route: route("/hooks/notify"),
        watcher,
        count: options.loadCount,
        senders: options.senders,
        // The bench process holds the recipient's client and, on a thread, the senders.
        pids: { agent: agent.pid, prosody: prosodyPid(prosody), bench: Deno.pid },
      });
      if (load.lost > 0 || load.duplicates > 0) {
        // What the agent said (warnings and errors) is where a loss is explained.
        options.progress(
          `webhooks: ${load.lost} lost, ${load.duplicates} twice; the agent's output:\n` +
            agent.process.lines.events.slice(-40).join("\n"),
        );
      }
      return { latency, load };
    } finally {
      await agent.stop();
    }
  } finally {
    await watcher.close();
  }
}

function webhooksToml(port: number, to: string): string {
  // The largest rate a route takes: the load run is a burst well under it.
  const route = (path: string, mode: string, extra: string) => `
[[webhooks.routes]]
path = "${path}"
secret = "\${BENCH_HOOK_SECRET}"
signature = "github"
to = "${to}"
mode = "${mode}"
rate_per_minute = 60000
${extra}`;
  return `
[webhooks]
listen = "127.0.0.1:${port}"
${route("/hooks/notify", "notify", 'template = "Delivery {{id}}: build {{status}} on {{branch}}"')}
${route("/hooks/agent", "agent", 'instructions = "Summarise the build result in one line."')}`;
}
