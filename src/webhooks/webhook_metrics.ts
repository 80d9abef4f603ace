/**
 * What `/healthz`, `/status` and `/metrics` report: the agent's own figures, which the agent
 * feeds through two functions, and the listener's count of deliveries by route and status.
 *
 * @module
 */

/** The agent's state, for `/healthz` (and the head of `/status`). */
export interface AgentHealth {
  /** Whether the XMPP session is up: `/healthz` answers 200 when online, 503 otherwise. */
  xmpp: "online" | "offline";
  /** Seconds since the agent started. */
  uptimeSecs: number;
}

/** The agent's counters since it started, for `/status` and `/metrics`. */
export interface AgentMetrics {
  /** Messages received from XMPP (allowed senders and rooms). */
  messagesIn: number;
  /** Messages the agent sent. */
  messagesOut: number;
  /** LLM calls, failed ones included. */
  llmCalls: number;
  /** Input tokens the LLM provider counted. */
  llmTokensIn: number;
  /** Output tokens the LLM provider counted. */
  llmTokensOut: number;
  /** Failures: turns that ended with an apology, storage errors. */
  errors: number;
  /** Events waiting in conversation queues (not yet handled). */
  queueDepth: number;
}

/** The route label of requests to paths no route has. */
export const UNKNOWN_ROUTE = "(unknown)";

/** Webhook requests answered, by route and HTTP status. */
export class DeliveryCounters {
  #counts = new Map<string, Map<number, number>>();

  /** Counts one answer. */
  count(route: string, status: number): void {
    let byStatus = this.#counts.get(route);
    if (byStatus === undefined) this.#counts.set(route, byStatus = new Map());
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** The counts of one route, by status (`{"202": 3, "401": 1}`). */
  byStatus(route: string): Record<string, number> {
    const byStatus = this.#counts.get(route) ?? new Map<number, number>();
    return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => [s, n]));
  }

  /** Every count, sorted by route then status. */
  entries(): { route: string; status: number; count: number }[] {
    return [...this.#counts.keys()].sort().flatMap((route) =>
      Object.entries(this.byStatus(route)).map(([status, count]) => ({
        route,
        status: Number(status),
        count,
      }))
    );
  }
}

/**
 * The figures in the Prometheus text exposition format (version 0.0.4), every name
 * prefixed `fluux_`.
 *
 * @param health What `health()` returned.
 * @param metrics What `metrics()` returned.
 * @param deliveries The listener's counts.
 * @returns The text, ending with a newline.
 */
export function prometheusText(
  health: AgentHealth,
  metrics: AgentMetrics,
  deliveries: DeliveryCounters,
): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP fluux_${name} ${help}`, `# TYPE fluux_${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`fluux_${name}${labels} ${value}`);
  };
  family("xmpp_online", "gauge", "Whether the XMPP session is up (1) or not (0).", [
    ["", health.xmpp === "online" ? 1 : 0],
  ]);
  family("uptime_seconds", "gauge", "Seconds since the agent started.", [
    ["", health.uptimeSecs],
  ]);
  family("messages_received_total", "counter", "Messages received from XMPP.", [
    ["", metrics.messagesIn],
  ]);
  family("messages_sent_total", "counter", "Messages sent over XMPP.", [
    ["", metrics.messagesOut],
  ]);
  family("llm_calls_total", "counter", "LLM calls, failed ones included.", [
    ["", metrics.llmCalls],
  ]);
  family("llm_tokens_total", "counter", "Tokens the LLM provider counted.", [
    ['{direction="input"}', metrics.llmTokensIn],
    ['{direction="output"}', metrics.llmTokensOut],
  ]);
  family("errors_total", "counter", "Turns that failed and storage errors.", [
    ["", metrics.errors],
  ]);
  family("queue_depth", "gauge", "Events waiting in conversation queues.", [
    ["", metrics.queueDepth],
  ]);
  family(
    "webhook_deliveries_total",
    "counter",
    "Webhook requests answered, by route and HTTP status.",
    deliveries.entries().map(({ route, status, count }) => [
      `{route="${labelValue(route)}",status="${status}"}`,
      count,
    ]),
  );
  return `${lines.join("\n")}\n`;
}

function labelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
