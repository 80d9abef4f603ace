/**
 * The figures of the events-from-outside phases (`outside_events.ts`), flat for the bench's
 * JSON record, from what the webhook and schedule phases measured.
 *
 * @module
 */
import type { SchedulePhaseResult } from "./schedule_phase.ts";
import { summarize } from "./stats.ts";
import type { WebhookPhaseResult } from "./webhook_phase.ts";

/** Every figure, times in milliseconds. */
export interface OutsideEventFigures {
  /** A `notify` delivery: from its 202 to the message at the person's client. */
  webhook_notify_p50_ms: number;
  webhook_notify_p99_ms: number;
  /** The same, from the POST being sent. */
  webhook_notify_send_p50_ms: number;
  webhook_notify_send_p99_ms: number;
  /** An `agent` delivery (an LLM turn, instant fake): from its 202 to the answer. */
  webhook_agent_p50_ms: number;
  webhook_agent_p99_ms: number;
  webhook_agent_send_p50_ms: number;
  webhook_agent_send_p99_ms: number;
  /** The same agent's chat round trip, interleaved with those deliveries: the reference. */
  webhook_chat_p50_ms: number;
  /** Each mode's median from the POST being sent / that round trip's median. */
  webhook_notify_ratio: number;
  webhook_agent_ratio: number;
  /** The load run: messages a second at the person's client (first POST to last arrival). */
  webhook_deliveries_per_s: number;
  /** 202s a second over the senders' run. */
  webhook_accepted_per_s: number;
  /** Messages a second at the client after the last 202 (the backlog, with no HTTP work). */
  webhook_drain_per_s: number;
  webhook_sent: number;
  webhook_accepted: number;
  webhook_received: number;
  /** Accepted and never arrived. */
  webhook_lost: number;
  webhook_duplicates: number;
  /** Statuses other than 202 → count (0: the request failed). */
  webhook_refused: Record<string, number>;
  /** In the load run, from the POST being sent to its message arriving. */
  webhook_load_p50_ms: number;
  webhook_load_p99_ms: number;
  /** CPU over the load run, in cores: the agent, Prosody, this process (client + senders). */
  webhook_load_agent_cores: number;
  webhook_load_prosody_cores: number;
  webhook_load_bench_cores: number;
  /** Share of the machine's cores busy over the load run, whatever ran (0–1). */
  webhook_load_machine_busy: number;
  /** A firing of an `every = "1s"` schedule: its message at the person's client − due. */
  schedule_lateness_p50_ms: number;
  schedule_lateness_p99_ms: number;
  schedule_lateness_max_ms: number;
  /** The scheduler's own lateness (handed on − due) of the same firings. */
  schedule_fired_p50_ms: number;
  schedule_fired_p99_ms: number;
  schedule_firings: number;
  schedule_missed: number;
  schedule_duplicates: number;
}

/** Summarises the phases' samples into {@linkcode OutsideEventFigures}. */
export function outsideEventFigures(
  { latency, load }: WebhookPhaseResult,
  schedule: SchedulePhaseResult,
): OutsideEventFigures {
  const notify = summarize(latency.notify.from202);
  const notifySend = summarize(latency.notify.fromSend);
  const agent = summarize(latency.agent.from202);
  const agentSend = summarize(latency.agent.fromSend);
  const chat = summarize(latency.chat);
  const underLoad = load.latencies.length === 0 ? undefined : summarize(load.latencies);
  const lateness = summarize(schedule.lateness);
  const fired = schedule.fired.length === 0 ? undefined : summarize(schedule.fired);
  return {
    webhook_notify_p50_ms: notify.p50,
    webhook_notify_p99_ms: notify.p99,
    webhook_notify_send_p50_ms: notifySend.p50,
    webhook_notify_send_p99_ms: notifySend.p99,
    webhook_agent_p50_ms: agent.p50,
    webhook_agent_p99_ms: agent.p99,
    webhook_agent_send_p50_ms: agentSend.p50,
    webhook_agent_send_p99_ms: agentSend.p99,
    webhook_chat_p50_ms: chat.p50,
    webhook_notify_ratio: notifySend.p50 / chat.p50,
    webhook_agent_ratio: agentSend.p50 / chat.p50,
    webhook_deliveries_per_s: load.received_per_s,
    webhook_accepted_per_s: load.accepted_per_s,
    webhook_drain_per_s: load.drain_per_s,
    webhook_sent: load.sent,
    webhook_accepted: load.accepted,
    webhook_received: load.received,
    webhook_lost: load.lost,
    webhook_duplicates: load.duplicates,
    webhook_refused: load.refused,
    webhook_load_p50_ms: underLoad?.p50 ?? NaN,
    webhook_load_p99_ms: underLoad?.p99 ?? NaN,
    webhook_load_agent_cores: load.cpu.cores.agent ?? NaN,
    webhook_load_prosody_cores: load.cpu.cores.prosody ?? NaN,
    webhook_load_bench_cores: load.cpu.cores.bench ?? NaN,
    webhook_load_machine_busy: load.cpu.machine_busy,
    schedule_lateness_p50_ms: lateness.p50,
    schedule_lateness_p99_ms: lateness.p99,
    schedule_lateness_max_ms: lateness.max,
    schedule_fired_p50_ms: fired?.p50 ?? NaN,
    schedule_fired_p99_ms: fired?.p99 ?? NaN,
    schedule_firings: schedule.lateness.length,
    schedule_missed: schedule.missed,
    schedule_duplicates: schedule.duplicates,
  };
}
