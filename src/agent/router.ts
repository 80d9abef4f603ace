/**
 * The one way in. Every event — a message, a room message, a reaction, presence, a webhook
 * delivery, a schedule firing — gets one policy decision (policy), is written to the inbox
 * when it must survive a crash, waits in its conversation's serial queue (different
 * conversations run concurrently; a webhook for alice waits behind alice's turn in progress
 * and never interleaves with it), and goes to the one handler of its kind.
 *
 * @module
 */
import { KeyedQueue } from "../async/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { Decision, Policy, Rights } from "./decide.ts";
import { type AgentEvent, type InboxEvent, isInboxEvent } from "./events.ts";
import { checkInboxEvent } from "./inbox_event_check.ts";

/** Where events are written before they wait (see the agent's `AgentInbox`). */
export interface RouterInbox {
  record(event: InboxEvent, at: Date): number;
  done(n: number): void;
}

/** A record the last run left in the inbox. */
export interface Replayed {
  n: number;
  /** When it was received (ISO 8601). */
  at: string;
}

/** What handles each accepted event. */
export interface RouterHandlers {
  /**
   * An event of a conversation, run in its queue.
   *
   * @param event The event (a one-to-one message's `bare` is the conversation).
   * @param decision Who is behind it and their rights.
   * @param replayed The inbox record when it is taken up after a restart.
   */
  conversation(
    event: AgentEvent,
    decision: { key: string; who?: string; rights: Rights },
    replayed?: Replayed,
  ): Promise<void | "held">;
  /** An event of the session as a whole (presence, invitations, online…), handled at once. */
  session(event: AgentEvent, decision: { who?: string }): Promise<void> | void;
}

/** An accepted event of a conversation. */
type Accepted = { key: string; who?: string; rights: Rights };

/** An event a handler held back. */
interface Held {
  event: AgentEvent;
  decision: Accepted;
  replayed?: Replayed;
  n?: number;
}

/** Options for {@linkcode Router}. */
export interface RouterOptions {
  policy: Policy;
  handlers: RouterHandlers;
  log: Logger;
  now: () => Date;
  /** Events are written here before they wait; none when absent. */
  inbox?: RouterInbox | undefined;
  /**
   * Resolves once the server has what was sent so far: an event leaves the inbox only then.
   * @default {at once}
   */
  delivered?: (() => Promise<void>) | undefined;
  /**
   * How long a conversation's next event waits for the server to have the last one's answer
   * (a server slow to acknowledge, or a link down, must not stop the conversation; the
   * event stays in the inbox until the server has it all the same).
   * @default {10000}
   */
  deliveryWaitMs?: number;
}

/** Decides, records, queues and dispatches. */
export class Router {
  #options: RouterOptions;
  #queue = new KeyedQueue();
  #detached = new Set<Promise<void>>();
  #received = 0;
  #pending = 0;
  #failed = 0;
  /** Events a handler held back (for a contact who is offline), by conversation. */
  #held = new Map<string, Held[]>();

  constructor(options: RouterOptions) {
    this.#options = options;
  }

  /**
   * Takes one event. Returns once it is decided and, when it must survive a crash, on disk;
   * its handling goes on in the background (see {@linkcode idle}).
   *
   * @param event The event.
   * @param replayed Its inbox record, for an event the last run did not finish.
   * @returns The decision taken.
   */
  route(event: AgentEvent, replayed?: Replayed, options: { durable?: boolean } = {}): Decision {
    this.#received++;
    const decision = this.#options.policy.decide(event);
    if (decision.outcome === "ignore") {
      // "logged": the identity check said why itself.
      if (decision.reason !== "logged") {
        const line = `Ignored ${decision.reason}`;
        if (decision.quiet) this.#options.log.debug(line);
        else this.#options.log.info(line);
      }
      this.#done(replayed?.n);
      return decision;
    }
    const { key } = decision;
    if (key === undefined) {
      this.#detach(event.type, async () => {
        await this.#options.handlers.session(event, decision);
      });
      return decision;
    }
    const conversationEvent = event.type === "message" && event.bare !== key
      ? { ...event, bare: key }
      : event;
    const n = replayed?.n ?? this.#record(event, options.durable ?? false);
    const accepted: Accepted = {
      key,
      rights: decision.rights,
      ...(decision.who === undefined ? {} : { who: decision.who }),
    };
    this.#enqueue(conversationEvent, accepted, replayed, n);
    return decision;
  }

  /**
   * Runs again, in order, the events held back for a conversation (its contact came online).
   * They stay in the inbox until they are handled.
   */
  release(key: string): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#held.delete(key);
    for (const { event, decision, replayed, n } of held) {
      this.#enqueue(event, decision, replayed, n);
    }
  }

  #enqueue(
    event: AgentEvent,
    decision: Accepted,
    replayed: Replayed | undefined,
    n: number | undefined,
  ): void {
    const { key } = decision;
    this.#pending++;
    let held = false;
    let delivered: Promise<void> | undefined;
    this.#queue.run(key, async () => {
      const outcome = await this.#options.handlers.conversation(event, decision, replayed);
      if (outcome !== "held") {
        // An answer written to the socket may still be lost with the process: the event is
        // done once the server has the answer, and the conversation's next one waits for
        // that, so that at most one answer is in flight when the process dies.
        if (n !== undefined) delivered = this.#options.delivered?.();
        if (delivered !== undefined) await this.#waitFor(delivered);
        return;
      }
      held = true;
      const list = this.#held.get(key) ?? [];
      list.push({
        event,
        decision,
        ...(replayed === undefined ? {} : { replayed }),
        ...(n === undefined ? {} : { n }),
      });
      this.#held.set(key, list);
    }).catch((error) => {
      this.#failed++;
      this.#options.log.error(`Failed to handle a ${event.type} for ${key}: ${String(error)}`);
    }).finally(() => {
      this.#pending--;
      if (held) return;
      if (delivered === undefined) this.#done(n);
      else void delivered.then(() => this.#done(n));
    });
  }

  /** Waits for `delivered`, at most {@linkcode RouterOptions.deliveryWaitMs}. */
  async #waitFor(delivered: Promise<void>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#options.deliveryWaitMs ?? 10_000);
    });
    await Promise.race([delivered, limit]);
    clearTimeout(timer);
  }

  /**
   * Takes up what the last run recorded and did not finish, oldest first (before the
   * connection starts, so that it goes before anything newer). A record that is not an event
   * the inbox keeps (a torn or edited file) is logged, marked done and not taken up.
   */
  replay(records: readonly { n: number; at: string; event: unknown }[]): void {
    if (records.length > 0) {
      this.#options.log.info(`Taking up ${records.length} event(s) received before the restart`);
    }
    for (const { n, at, event } of records) {
      const checked = checkInboxEvent(event);
      if (!checked.ok) {
        this.#options.log.warn(`Skipped record ${n} of the inbox: ${checked.reason}`);
        this.#done(n);
        continue;
      }
      this.route(checked.event, { n, at });
    }
  }

  /**
   * Runs the agent's own work (not an event: e.g. writing the contact book) on the serial
   * queue `key`; {@linkcode idle} waits for it.
   */
  serial(key: string, task: () => Promise<void>): void {
    this.#queue.run(key, task).catch((error) => {
      this.#options.log.error(`Failed to update ${key.trim()}: ${String(error)}`);
    });
  }

  /** Resolves when every queued conversation and every session task is done. */
  async idle(): Promise<void> {
    do {
      await Promise.all([...this.#detached, this.#queue.idle()]);
    } while (this.#detached.size > 0);
  }

  /** Events taken, events waiting or being handled, handlers that failed. */
  /** Whether a conversation has events queued or being handled. */
  busy(key: string): boolean {
    return this.#queue.busy(key);
  }

  get stats(): { received: number; pending: number; failed: number } {
    return { received: this.#received, pending: this.#pending, failed: this.#failed };
  }

  /**
   * Writes an event that must survive a crash to the inbox; its number, if written.
   * `durable`: the caller promised it is on disk (a webhook's 202): a failed write throws.
   */
  #record(event: AgentEvent, durable: boolean): number | undefined {
    const inbox = this.#options.inbox;
    if (inbox === undefined || !isInboxEvent(event) || !mustSurvive(event)) return undefined;
    try {
      return inbox.record(event, this.#options.now());
    } catch (error) {
      if (durable) {
        throw new Error(`The ${event.type} could not be written to the inbox`, { cause: error });
      }
      this.#options.log.error(
        `Cannot record a ${event.type} in the inbox (it is handled, but would be lost if the ` +
          `agent stopped now): ${String(error)}`,
      );
      return undefined;
    }
  }

  #done(n: number | undefined): void {
    if (n === undefined) return;
    try {
      this.#options.inbox?.done(n);
    } catch (error) {
      this.#options.log.error(`Cannot mark an event handled in the inbox: ${String(error)}`);
    }
  }

  /** Runs a session-wide task outside the conversation queues ({@linkcode idle} waits). */
  #detach(what: string, task: () => Promise<void>): void {
    const running = task().catch((error) => {
      this.#options.log.error(`Failed to handle ${what}: ${String(error)}`);
    }).finally(() => this.#detached.delete(running));
    this.#detached.add(running);
  }
}

/**
 * Whether an event must be taken up after a crash: the agent's own reflections and the
 * history a room replays on join are not (the room gives them again).
 */
function mustSurvive(event: InboxEvent): boolean {
  return event.type !== "groupchat" || (!event.own && !event.delayed);
}
