/**
 * Events from outside XMPP, through the real agent to a person's XMPP client: webhooks
 * (`webhook_phase.ts`) and a schedule (`schedule_phase.ts`), each with an agent of its own,
 * one after the other, so that neither disturbs the other's figures.
 *
 * They run on a Prosody of their own: Debian's default modules without `limits` (its
 * 10 kb/s per client would measure the throttle) and without `mam`, whose file storage
 * costs Prosody more for each message as a user's archive grows (10,000 messages to one
 * account slowed it to about a tenth of the agent's rate, in bursts seconds apart): the
 * figures are the agent's, not those of the test server's archive.
 *
 * @module
 */
import { startProsody } from "../../tests/support/prosody.ts";
import { onCleanUp } from "./cleanup.ts";
import { Driver } from "./driver.ts";
import { type OutsideEventFigures, outsideEventFigures } from "./outside_event_figures.ts";
import { schedulePhase } from "./schedule_phase.ts";
import { webhookPhase } from "./webhook_phase.ts";

export type { OutsideEventFigures };

/** The accounts {@linkcode outsideEvents} registers: an agent and a recipient per phase. */
const ACCOUNTS = {
  /** Agents, password `botpass`. */
  agents: ["hooks", "clock"],
  /** People, password = user name: the recipients, and one who chats with the agents. */
  people: ["hookee", "ticker", "chatter"],
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

/** Options of {@linkcode outsideEvents}. */
export interface OutsideEventOptions {
  llmUrl: string;
  /** A directory the caller owns; each agent gets a folder in it. */
  dataDir: string;
  sizes: OutsideEventSizes;
  progress(text: string): void;
}

/**
 * Starts a Prosody, registers the accounts, runs the webhook phase, then the schedule
 * phase, and stops everything it started.
 *
 * @throws {Error} When Prosody or an agent does not come up, a one-at-a-time delivery is
 *   refused or does not arrive, or the schedule stops firing.
 */
export async function outsideEvents(options: OutsideEventOptions): Promise<OutsideEventFigures> {
  const { sizes, progress } = options;
  const [hooks, clock] = ACCOUNTS.agents;
  const [hookee, ticker, chatter] = ACCOUNTS.people;
  const prosody = await startProsody({ disabledModules: ["limits", "mam"] });
  const stopProsody = onCleanUp(() => prosody.stop());
  try {
    for (const name of ACCOUNTS.agents) await prosody.register(name, "botpass");
    for (const name of ACCOUNTS.people) await prosody.register(name, name);
    const server = { host: prosody.host, port: prosody.c2sPort, domain: prosody.domain };
    // Chats with the webhook agent (the reference round trip) and tells when each answers.
    const contact = await Driver.connect({ ...server, user: chatter, password: chatter });
    const closeContact = onCleanUp(() => contact.close());
    try {
      const webhooks = await webhookPhase(prosody, {
        llmUrl: options.llmUrl,
        dataDir: `${options.dataDir}/${hooks}`,
        agentUser: hooks,
        recipient: hookee,
        chat: contact,
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
        contact,
        firings: sizes.schedule_firings,
        warmUp: sizes.schedule_warm_up,
      });
      return outsideEventFigures(webhooks, schedule);
    } finally {
      await closeContact();
    }
  } finally {
    await stopProsody();
  }
}
