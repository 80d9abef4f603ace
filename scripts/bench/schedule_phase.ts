/**
 * A schedule's lateness through the real agent, as the person sees it: an agent of its own
 * with an operator schedule `every = "1s"` (text mode) to a real XMPP client in this
 * process; each firing's lateness is its message's arrival at that client − its due time.
 *
 * The due times are the schedule's grid: `anchor + k × 1 s`, the anchor being the instant
 * the agent first had the schedule, which it keeps in `schedules.json`. Each message is put
 * on the grid by its stanza id, which the agent makes `config:<name>@<due time>` (so that a
 * restart can tell a run already sent); should the id not carry it, by the latest grid
 * instant before its arrival (which assumes less than a second late). The scheduler's own
 * lateness (handed on − due), which the agent writes with each firing into its inbox, is
 * read there to tell the scheduler's part from the rest (the agent's queue, the send, the
 * server, the client).
 *
 * @module
 */
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import { type Arrival, DeliveryWatcher } from "./delivery_watcher.ts";
import type { Driver } from "./driver.ts";

/** Options of {@linkcode schedulePhase}. */
export interface SchedulePhaseOptions {
  llmUrl: string;
  /** Memory directory of the agent, which the caller owns. */
  dataDir: string;
  /** Account of the agent (registered, password `botpass`). */
  agentUser: string;
  /** Account the schedule sends to (registered, password = user name). */
  recipient: string;
  /** Someone logged in, to tell when the agent answers. */
  contact: Driver;
  /** Measured firings. */
  firings: number;
  /** Firings left out once the agent answers (the first ones after its start). */
  warmUp: number;
}

/** What {@linkcode schedulePhase} measured, in milliseconds. */
export interface SchedulePhaseResult {
  /** Arrival at the person's client − due, one per measured firing. */
  lateness: number[];
  /** The scheduler's own lateness (handed on − due) of the same firings, found in the inbox. */
  fired: number[];
  /** Runs of the grid between the first and last measured firing that never arrived. */
  missed: number;
  /** Messages that arrived twice for one run. */
  duplicates: number;
}

const EVERY_MS = 1000;

/**
 * Starts the agent, collects the firings, stops it.
 *
 * @throws {Error} When the agent does not come online, the firings stop coming, or one is
 *   not on the schedule's grid.
 */
export async function schedulePhase(
  prosody: ProsodyHandle,
  options: SchedulePhaseOptions,
): Promise<SchedulePhaseResult> {
  const agentJid = `${options.agentUser}@${prosody.domain}`;
  let unnamed = 0;
  const watcher = await DeliveryWatcher.connect({
    host: prosody.host,
    port: prosody.c2sPort,
    domain: prosody.domain,
    user: options.recipient,
    password: options.recipient,
    from: agentJid,
    key: ({ id }) => id ?? `without id ${unnamed++}`,
  });
  try {
    const agent = await startBenchAgent(prosody, {
      llmUrl: options.llmUrl,
      dataDir: options.dataDir,
      user: options.agentUser,
      extraToml: `
[[schedules]]
name = "tick"
every = "1s"
to = "${options.recipient}@${prosody.domain}"
text = "tick"
`,
    });
    try {
      await waitAnswering(agent, options.contact, { jid: agentJid });
      const from = watcher.count + options.warmUp;
      const wanted = from + options.firings;
      const got = await watcher.settle(wanted, 5 * EVERY_MS);
      if (got < wanted) {
        throw new Error(`The schedule stopped firing: ${got - from} of ${options.firings} came`);
      }
      const measured = watcher.arrivals().slice(from, wanted).map(([, arrival]) => arrival);
      const anchor = await readAnchor(`${options.dataDir}/schedules.json`);
      const due = measured.map((arrival) => dueOf(arrival, anchor));
      const firedLateness = await readFiredLateness(`${options.dataDir}/inbox.jsonl`);
      return {
        lateness: measured.map((arrival, i) => arrival.wall - due[i]!),
        fired: due.flatMap((at) => firedLateness.get(at) ?? []),
        missed: (due.at(-1)! - due[0]!) / EVERY_MS + 1 - new Set(due).size,
        duplicates: watcher.duplicates + (due.length - new Set(due).size),
      };
    } finally {
      await agent.stop();
    }
  } finally {
    await watcher.close();
  }
}

/** The due time of a firing's message (epoch ms). */
function dueOf(arrival: Arrival, anchor: number): number {
  const stamped = Date.parse(arrival.id?.slice(arrival.id.lastIndexOf("@") + 1) ?? "");
  const due = Number.isNaN(stamped)
    ? anchor + Math.floor((arrival.wall - anchor) / EVERY_MS) * EVERY_MS
    : stamped;
  if ((due - anchor) % EVERY_MS !== 0 || due <= anchor) {
    throw new Error(
      `The firing due ${new Date(due).toISOString()} is not on the grid of the schedule ` +
        `anchored at ${new Date(anchor).toISOString()}`,
    );
  }
  return due;
}

async function readAnchor(file: string): Promise<number> {
  const state = JSON.parse(await Deno.readTextFile(file));
  const anchor = Date.parse(state?.config?.tick?.anchor ?? "");
  if (Number.isNaN(anchor)) throw new Error(`No anchor for the schedule "tick" in "${file}"`);
  return anchor;
}

/** Each schedule firing in the inbox: due (epoch ms) → the scheduler's lateness. */
async function readFiredLateness(file: string): Promise<Map<number, number>> {
  const fired = new Map<number, number>();
  const text = await Deno.readTextFile(file).catch(() => "");
  for (const line of text.split("\n")) {
    try {
      const event = JSON.parse(line)?.event;
      if (event?.type === "schedule" && typeof event.latenessMs === "number") {
        fired.set(Date.parse(event.scheduledAt), event.latenessMs);
      }
    } catch {
      // A done mark's line, or an empty one.
    }
  }
  return fired;
}
