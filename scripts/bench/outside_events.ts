/**
 * The figures of events from outside XMPP, through the real agent to a person's XMPP client:
 * webhooks (`webhook_phase.ts`) and a schedule (`schedule_phase.ts`), each with an agent of
 * its own, one after the other, so that neither disturbs the other's figures.
 *
 * @module
 */
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import type { Driver } from "./driver.ts";
import { schedulePhase } from "./schedule_phase.ts";
import { summarize } from "./stats.ts";
import { webhookPhase } from "./webhook_phase.ts";

/** The accounts {@linkcode outsideEvents} registers: an agent and a recipient per phase. */
const ACCOUNTS = {
  /** Agents, password `botpass`. */
  agents: ["hooks", "clock"],
  /** Recipients, password = user name. */
  people: ["hookee", "ticker"],
} as const;

/** Sizes of the run. */
export interface OutsideEventSizes {
  /** Measured one-at-a-time deliveries per route (notify, agent). */
  webhook_latency_deliveries: number;
  /** Unmeasured ones before them. */
  webhook_warm_up: number;
  /** Deliveries of the load run, and its concurrent senders. */
  webhook_load_deliveries: number;
  webhook_senders: number;
  /** Measured firings of the every-1s schedule, after unmeasured ones. */
  schedule_firings: number;
  schedule_warm_up: number;
}

/** The sizes of a full run, or of a `--quick` one. */
export function outsideEventSizes(quick: boolean): OutsideEventSizes {
  return {
    webhook_latency_deliveries: quick ? 30 : 200,
    webhook_warm_up: 10,
    webhook_load_deliveries: quick ? 1000 : 10_000,
    webhook_senders: 200,
    // A minute of firings: enough for a p99 that is not just the maximum.
    schedule_firings: quick ? 8 : 60,
    schedule_warm_up: 2,
  };
}

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

/** Options of {@linkcode outsideEvents}. */
export interface OutsideEventOptions {
  llmUrl: string;
  /** A directory the caller owns; each agent gets a folder in it. */
  dataDir: string;
  /** Someone logged in: chats with the webhook agent, and tells when each agent answers. */
  contact: Driver;
  sizes: OutsideEventSizes;
  progress(text: string): void;
}

/**
 * Registers the phases' accounts, runs the webhook phase, then the schedule phase.
 *
 * @throws {Error} When an agent does not come online, a one-at-a-time delivery is refused or
 *   does not arrive, or the schedule stops firing.
 */
export async function outsideEvents(
  prosody: ProsodyHandle,
  options: OutsideEventOptions,
): Promise<OutsideEventFigures> {
  const { sizes, progress } = options;
  const [hooks, clock] = ACCOUNTS.agents;
  const [hookee, ticker] = ACCOUNTS.people;
  for (const name of ACCOUNTS.agents) await prosody.register(name, "botpass");
  for (const name of ACCOUNTS.people) await prosody.register(name, name);
  const { latency, load } = await webhookPhase(prosody, {
    llmUrl: options.llmUrl,
    dataDir: `${options.dataDir}/${hooks}`,
    agentUser: hooks,
    recipient: hookee,
    chat: options.contact,
    latencyCount: sizes.webhook_latency_deliveries,
    warmUp: sizes.webhook_warm_up,
    loadCount: sizes.webhook_load_deliveries,
    senders: sizes.webhook_senders,
    progress,
  });
  progress(`schedule: ${sizes.schedule_firings} firings of an every-1s schedule`);
  const schedule = await schedulePhase(prosody, {
    llmUrl: options.llmUrl,
    dataDir: `${options.dataDir}/${clock}`,
    agentUser: clock,
    recipient: ticker,
    contact: options.contact,
    firings: sizes.schedule_firings,
    warmUp: sizes.schedule_warm_up,
  });
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
