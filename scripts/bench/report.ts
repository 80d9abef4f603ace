/**
 * The bench's figures: the flat JSON record written by `--json` and the table printed at the
 * end, each figure next to its target.
 *
 * @module
 */
import type { OutsideEventFigures } from "./outside_event_figures.ts";
import { type ReceiptFigures, receiptRows } from "./receipts_phase.ts";
import { type ComponentFigures, wireRows, type WriteFigures } from "./wire_phases.ts";

/** Every figure of one run (times in milliseconds, memory in MiB). */
export interface BenchFigures
  extends OutsideEventFigures, ReceiptFigures, WriteFigures, ComponentFigures {
  /** Agent median round trip / floor median round trip. */
  overhead_ratio: number;
  overhead_p50_ms: number;
  overhead_p99_ms: number;
  /** The floor bot's median round trip. */
  echo_p50_ms: number;
  echo_p99_ms: number;
  /**
   * The median round trip of a bare bot that also does what the agent must do on every
   * answer whatever its code: send a `<composing/>` chat state and ask through
   * `@anthropic-ai/sdk`; measured in a run of its own, interleaved with the floor and the
   * agent.
   */
  required_p50_ms: number;
  /** The floor's median in that run. */
  required_floor_p50_ms: number;
  /** The agent's median in that run. */
  required_agent_p50_ms: number;
  /** That bot's median / the floor's median, from that run. */
  required_ratio: number;
  /** The agent's median / that bot's median, from that run: what the agent's own work adds. */
  own_ratio: number;
  /** The floor's median in the run that compares providers. */
  provider_floor_p50_ms: number;
  /** The agent's median in that run with each provider (its SDK and wire format). */
  anthropic_p50_ms: number;
  ollama_p50_ms: number;
  openai_p50_ms: number;
  /** Each of those / the floor's median in that run. */
  anthropic_ratio: number;
  ollama_ratio: number;
  openai_ratio: number;
  /** Wall time of the concurrent-users run / the ideal (messages per user × LLM delay). */
  concurrent_ratio: number;
  concurrent_total_ms: number;
  concurrent_ideal_ms: number;
  concurrent_msgs_per_sec: number;
  concurrent_p50_ms: number;
  concurrent_p99_ms: number;
  /** Median round trip with a 100,000-entry session / with a 200-entry session. */
  long_history_ratio: number;
  history_short_p50_ms: number;
  history_long_p50_ms: number;
  /** Median time from spawning the agent to a contact seeing its presence. */
  startup_ms: number;
  /** Peak RSS of an idle agent (VmHWM). */
  idle_rss_mb: number;
  /** Peak RSS of a bare Deno process importing the third-party modules the config needs. */
  baseline_rss_mb: number;
  /** `idle_rss_mb / baseline_rss_mb`. */
  idle_rss_ratio: number;
  /** Peak RSS of the same bare Deno importing a minified bundle of those modules. */
  bundled_baseline_rss_mb: number;
  /** `idle_rss_mb / bundled_baseline_rss_mb`: like for like with the bundle `start` runs. */
  idle_rss_ratio_bundled: number;
  /** Peak RSS of the agent after the concurrent-users run (VmHWM). */
  loaded_rss_mb: number;
  /** `loaded_rss_mb / idle_rss_mb`. */
  loaded_rss_ratio: number;
  /**
   * RSS of the same agent just before the concurrent users, idle after the phases before
   * them: what a used agent keeps, apart from what the burst adds.
   */
  before_burst_rss_mb: number;
  /** `loaded_rss_mb / before_burst_rss_mb`: what the burst itself adds. */
  burst_rss_ratio: number;
  flood_lost: number;
  flood_in_order: boolean;
  flood_secs: number;
  flood_msgs_per_sec: number;
  /** CPU over the flood, in cores: the agent's and Prosody's (what bounds its pace). */
  flood_cpu_agent: number;
  flood_cpu_prosody: number;
}

/**
 * `--peer`: one more run interleaving the floor, the Rust Fluux Agent (a component, with
 * TCP_NODELAY) and the agent, as many messages as the overhead run.
 */
export interface PeerFigures {
  /** The floor's median in that run. */
  peer_floor_p50_ms: number;
  /** The Rust agent's median in that run. */
  peer_p50_ms: number;
  /** The agent's median in that run. */
  peer_agent_p50_ms: number;
  /** `peer_p50_ms / peer_floor_p50_ms`. */
  peer_ratio: number;
  /** `peer_agent_p50_ms / peer_floor_p50_ms`. */
  peer_agent_ratio: number;
  /** `peer_agent_p50_ms / peer_p50_ms`: at or below 1 when the agent is no slower. */
  agent_to_peer_ratio: number;
}

/** The figures plus what the run was and where it ran. */
export interface BenchReport extends BenchFigures, Partial<PeerFigures> {
  quick: boolean;
  /** Sizes of the run, e.g. `{ overhead_messages: 500 }`. */
  sizes: Record<string, number>;
  machine: { cpus: number; os: string; cpu_model: string; deno: string };
  date: string;
}

/** One line of the table; `ok` is `undefined` for a figure without a target. */
export type Row = [measure: string, value: string, target: string, ok: boolean | undefined];

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const x = (value: number) => `${value.toFixed(2)}×`;

/** Cores busy over the webhook load run with something else than the bench's processes. */
function otherCores(report: BenchReport): number {
  const ours = report.webhook_load_agent_cores + report.webhook_load_prosody_cores +
    report.webhook_load_bench_cores;
  return Math.max(0, report.webhook_load_machine_busy * report.machine.cpus - ours);
}

/** The rows of events from outside XMPP (webhooks, a schedule), through the agent. */
function outsideEventRows(report: BenchReport): Row[] {
  const s = report.sizes;
  const refused = Object.entries(report.webhook_refused).map(([status, n]) => `${n}× ${status}`);
  return [
    [
      `Webhook → XMPP, ${s.webhook_latency_deliveries} each: POST → message p50 / p99, notify`,
      `${ms(report.webhook_notify_send_p50_ms)} / ${ms(report.webhook_notify_send_p99_ms)} ` +
      `(from the 202: ${ms(report.webhook_notify_p50_ms)} / ${ms(report.webhook_notify_p99_ms)})`,
      "",
      undefined,
    ],
    [
      "  agent mode (an LLM turn, instant fake)",
      `${ms(report.webhook_agent_send_p50_ms)} / ${ms(report.webhook_agent_send_p99_ms)} ` +
      `(from the 202: ${ms(report.webhook_agent_p50_ms)} / ${ms(report.webhook_agent_p99_ms)})`,
      "",
      undefined,
    ],
    [
      "  chat round trip to the same agent p50; notify, agent p50 / it",
      `${ms(report.webhook_chat_p50_ms)}; ${x(report.webhook_notify_ratio)}, ` +
      x(report.webhook_agent_ratio),
      "",
      undefined,
    ],
    [
      `Webhook load, ${s.webhook_load_deliveries} from ${s.webhook_senders} senders (notify)`,
      `${report.webhook_accepted} accepted, ${report.webhook_received} received, ` +
      `${report.webhook_lost} lost` +
      (report.webhook_duplicates > 0 ? `, ${report.webhook_duplicates} twice` : "") +
      (refused.length > 0 ? `, refused ${refused.join(" ")}` : ""),
      "all accepted, 0 lost",
      report.webhook_accepted === report.webhook_sent && report.webhook_lost === 0 &&
      report.webhook_duplicates === 0,
    ],
    [
      "  received, accepted, backlog sent after the last 202; POST → message p50 / p99",
      `${report.webhook_deliveries_per_s.toFixed(0)}/s, ` +
      `${report.webhook_accepted_per_s.toFixed(0)}/s, ` +
      // NaN when too few were left after the last 202 to time the backlog.
      `${
        Number.isNaN(report.webhook_drain_per_s) ? "–" : report.webhook_drain_per_s.toFixed(0)
      }/s; ` +
      `${ms(report.webhook_load_p50_ms)} / ${ms(report.webhook_load_p99_ms)}`,
      "",
      undefined,
    ],
    [
      "  CPU over the run, in cores: agent, Prosody, bench (client + senders), other work",
      `${report.webhook_load_agent_cores.toFixed(2)}, ` +
      `${report.webhook_load_prosody_cores.toFixed(2)}, ` +
      `${report.webhook_load_bench_cores.toFixed(2)}, ${otherCores(report).toFixed(2)} ` +
      `(machine ${(report.webhook_load_machine_busy * 100).toFixed(0)} % busy)`,
      "",
      undefined,
    ],
    [
      `Schedule every 1s, ${report.schedule_firings} firings: arrival − due p50 / p99`,
      `${ms(report.schedule_lateness_p50_ms)} / ${ms(report.schedule_lateness_p99_ms)} ` +
      `(max ${ms(report.schedule_lateness_max_ms)}), ${report.schedule_missed} missed`,
      "none missed",
      report.schedule_missed === 0 && report.schedule_duplicates === 0,
    ],
    [
      "  the scheduler alone (handed on − due) p50 / p99",
      `${ms(report.schedule_fired_p50_ms)} / ${ms(report.schedule_fired_p99_ms)}`,
      "",
      undefined,
    ],
  ];
}

/** The rows of the run beside the Rust agent, when `--peer` asked for it. */
export function peerRows(report: Partial<PeerFigures>): Row[] {
  const {
    peer_floor_p50_ms: floor,
    peer_p50_ms: peer,
    peer_agent_p50_ms: agent,
    peer_ratio: peerRatio,
    peer_agent_ratio: agentRatio,
    agent_to_peer_ratio: toPeer,
  } = report;
  if (
    floor === undefined || peer === undefined || agent === undefined ||
    peerRatio === undefined || agentRatio === undefined || toPeer === undefined
  ) return [];
  return [
    [
      "  Rust peer (component, NODELAY): agent p50 / peer p50",
      `${ms(agent)} / ${ms(peer)} = ${x(toPeer)}`,
      "≤ 1.0×",
      toPeer <= 1,
    ],
    [
      "    peer / floor, agent / floor, in that run",
      `${x(peerRatio)}, ${x(agentRatio)} (floor ${ms(floor)})`,
      "",
      undefined,
    ],
  ];
}

/** The table printed at the end of a run. */
export function formatReport(report: BenchReport): string {
  const s = report.sizes;
  const rows: Row[] = [
    [
      `Reply overhead, ${s.overhead_messages} msgs: agent p50 / floor p50`,
      `${ms(report.overhead_p50_ms)} / ${ms(report.echo_p50_ms)} = ${x(report.overhead_ratio)}`,
      "≤ 1.5×",
      report.overhead_ratio <= 1.5,
    ],
    [
      "  p99 agent / floor",
      `${ms(report.overhead_p99_ms)} / ${ms(report.echo_p99_ms)}`,
      "",
      undefined,
    ],
    [
      "  required anyway: bot with typing + SDK / floor",
      `${ms(report.required_p50_ms)} / ${ms(report.required_floor_p50_ms)} = ` +
      x(report.required_ratio),
      "",
      undefined,
    ],
    [
      "  the agent's own work: agent / that bot",
      `${ms(report.required_agent_p50_ms)} / ${ms(report.required_p50_ms)} = ` +
      x(report.own_ratio),
      "",
      undefined,
    ],
    [
      "  by provider, agent / floor: anthropic, ollama, openai",
      [report.anthropic_ratio, report.ollama_ratio, report.openai_ratio].map(x).join(", ") +
      ` (floor ${ms(report.provider_floor_p50_ms)})`,
      "",
      undefined,
    ],
    ...wireRows(report).map(([measure, value]): Row => [measure, value, "", undefined]),
    ...peerRows(report),
    ...receiptRows(report, s.overhead_messages ?? 0).map(([measure, value]): Row => [
      measure,
      value,
      "",
      undefined,
    ]),
    [
      `Concurrent, ${s.concurrent_users} users × ${s.concurrent_messages} msgs, ` +
      `LLM ${s.concurrent_llm_delay_ms} ms`,
      `${(report.concurrent_total_ms / 1000).toFixed(2)} s vs ideal ` +
      `${(report.concurrent_ideal_ms / 1000).toFixed(2)} s = ${x(report.concurrent_ratio)}`,
      "≤ 1.3×",
      report.concurrent_ratio <= 1.3,
    ],
    [
      "  throughput, reply p50 / p99",
      `${report.concurrent_msgs_per_sec.toFixed(1)} msg/s, ` +
      `${ms(report.concurrent_p50_ms)} / ${ms(report.concurrent_p99_ms)}`,
      "",
      undefined,
    ],
    [
      `Long history, ${s.history_messages} msgs: p50 ${s.history_long_entries} / ` +
      `${s.history_short_entries} entries`,
      `${ms(report.history_long_p50_ms)} / ${ms(report.history_short_p50_ms)} = ` +
      x(report.long_history_ratio),
      "≤ 1.2×",
      report.long_history_ratio <= 1.2,
    ],
    [
      `Start-up to visible presence (median of ${s.startup_runs})`,
      ms(report.startup_ms),
      "< 1000 ms",
      report.startup_ms < 1000,
    ],
    ["Peak RSS, idle", `${report.idle_rss_mb.toFixed(1)} MB`, "< 120 MB", report.idle_rss_mb < 120],
    [
      "  idle / bare Deno importing the same modules",
      `${report.idle_rss_mb.toFixed(1)} / ${report.baseline_rss_mb.toFixed(1)} MB = ` +
      x(report.idle_rss_ratio),
      "≤ 1.1×",
      report.idle_rss_ratio <= 1.1,
    ],
    [
      "  idle / bare Deno importing a minified bundle of them",
      `${report.idle_rss_mb.toFixed(1)} / ${report.bundled_baseline_rss_mb.toFixed(1)} MB = ` +
      x(report.idle_rss_ratio_bundled),
      "",
      undefined,
    ],
    [
      "Peak RSS, after concurrent users / idle",
      `${report.loaded_rss_mb.toFixed(1)} MB = ${x(report.loaded_rss_ratio)}`,
      "≤ 1.5×",
      report.loaded_rss_ratio <= 1.5,
    ],
    [
      "  after / the same agent idle just before them",
      `${report.loaded_rss_mb.toFixed(1)} / ${report.before_burst_rss_mb.toFixed(1)} MB = ` +
      x(report.burst_rss_ratio),
      "",
      undefined,
    ],
    [
      `Flood, ${s.flood_messages} msgs from one user`,
      `${report.flood_lost} lost, ${report.flood_in_order ? "in order" : "OUT OF ORDER"}, ` +
      `${report.flood_secs.toFixed(2)} s (${report.flood_msgs_per_sec.toFixed(0)} msg/s)`,
      "0 lost, in order",
      report.flood_lost === 0 && report.flood_in_order,
    ],
    [
      "  CPU over the flood, in cores: agent, Prosody",
      `${report.flood_cpu_agent.toFixed(2)}, ${report.flood_cpu_prosody.toFixed(2)}`,
      "",
      undefined,
    ],
    ...outsideEventRows(report),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.toString().length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  const { machine } = report;
  return [
    `Fluux Agent bench${report.quick ? " (--quick: smoke run, figures are rough)" : ""}`,
    `${machine.cpus} cores (${machine.cpu_model}), ${machine.os}, Deno ${machine.deno}`,
    "",
    line(["Measure", "Result", "Target"]).trimEnd(),
    ...rows.map((row) => {
      const verdict = row[3] === undefined ? "" : row[3] ? "ok" : "MISSED";
      return `${line([row[0], row[1], row[2]])}  ${verdict}`.trimEnd();
    }),
  ].join("\n");
}
