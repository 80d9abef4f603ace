/**
 * The agent: every event goes to one router (router.ts) — one policy decision (decide.ts),
 * the inbox, the conversation's serial queue — and from there to the handler of its kind: a
 * one-to-one message, a room message, a reaction, a webhook delivery, a schedule firing, or
 * the session's presence and rooms (membership.ts).
 *
 * @module
 */
import { builtinCommands, CommandRegistry } from "../commands/mod.ts";
import type { CommandDirectory, MessageEvent } from "../xmpp/mod.ts";
import { Policy, type Rights } from "./decide.ts";
import { EncryptedNotice } from "./encrypted_notice.ts";
import type { AgentEvent, InboxEvent, ScheduleEvent, WebhookEvent } from "./events.ts";
import { handleDirectMessage } from "./direct_message.ts";
import { commandDirectory, handleAdhoc } from "./adhoc.ts";
import { Membership } from "./membership.ts";
import { MessageTracker } from "./message_tracker.ts";
import { handleGreeting, handleSchedule, handleWebhook } from "./outside_events.ts";
import { PendingAcks } from "./pending_acks.ts";
import { PresenceBook } from "./presence_book.ts";
import { handleReaction } from "./reaction.ts";
import { handleRoomMessage } from "./room_message.ts";
import { type Replayed, Router } from "./router.ts";
import type { HandlerContext } from "./_handler_context.ts";
import type { AgentOptions } from "./agent_options.ts";

export type { AgentInbox, AgentOptions, AgentXmpp } from "./agent_options.ts";

/** Presences that arrive this soon after the agent's own login are the roster's, not news. */
const SETTLING_MS = 5_000;

/**
 * Takes every event and answers it.
 *
 * @example
 * ```ts
 * const agent = new Agent(options);
 * connection.onEvent((event) => agent.handle(event));
 * ```
 */
export class Agent {
  #router: Router;
  #policy: Policy;
  #context: HandlerContext;
  #presence = new PresenceBook();
  /** When the agent's current session began (not a resumption), for {@linkcode SETTLING_MS}. */
  #onlineSince = 0;

  constructor(options: AgentOptions) {
    const membership = new Membership(
      options,
      (key, task) => this.#router.serial(key, task),
    );
    this.#context = {
      options,
      membership,
      commands: new CommandRegistry([...builtinCommands(), ...(options.commands ?? [])]),
      encrypted: new EncryptedNotice({ now: options.now }),
      messages: new MessageTracker(),
      acks: new PendingAcks((action) => options.xmpp.send(action)),
    };
    const policy = this.#policy = new Policy({
      rules: options.rules,
      log: options.log,
      devJids: options.devJids ?? [],
      adminJids: options.adminJids ?? [],
      isRoom: (jid) => membership.isRoom(jid),
      roomTools: (room) => membership.room(room).tools ?? "allowed",
      mode: options.mode ?? "client",
    });
    this.#router = new Router({
      policy,
      log: options.log,
      now: options.now,
      inbox: options.inbox,
      delivered: () => options.xmpp.delivered?.() ?? Promise.resolve(),
      handlers: {
        conversation: (event, decision, replayed) => this.#conversation(event, decision, replayed),
        session: (event, decision) => this.#session(event, decision.who),
      },
    });
  }

  /**
   * Takes one event from any source. Returns once it is decided and, when it must survive a
   * crash, written to the inbox; its handling runs in the background (see {@linkcode idle}).
   */
  handle(event: AgentEvent): void {
    // A message whose conversation is idle starts its turn at once (see #received).
    const waits = event.type === "message" && this.#router.busy(event.bare);
    const decision = this.#router.route(event);
    if (event.type === "message" && decision.outcome === "accept" && decision.key !== undefined) {
      this.#received(event, decision.key, waits);
    }
  }

  /**
   * A message of an allowed sender is stored (in the inbox) and waits in its queue: it is
   * acknowledged, its receipt (XEP-0184) and `received` marker (XEP-0333) in one stanza: at
   * once when it waits behind another event of its conversation, else in the stanza its turn
   * starts with (`composing`, or `displayed`), or alone if that does not come soon.
   */
  #received(event: MessageEvent, key: string, waits: boolean): void {
    const { membership, messages } = this.#context;
    messages.arrived(key, event);
    if (event.id === undefined || (!event.receipt && !event.markable)) return;
    const { from } = membership.from(event.to);
    this.#context.acks.hold(waits, {
      type: "acknowledge",
      to: event.from,
      ...(from === undefined ? {} : { from }),
      id: event.id,
      receipt: event.receipt === true,
      ...(event.markable ? { marker: "received" as const } : {}),
    });
  }

  /**
   * Takes an event whose sender is told it is safe once this returns (a webhook's 202): it is
   * on disk, in the inbox, before this returns.
   *
   * @throws {Error} When it cannot be written: the sender should be told to retry.
   */
  accept(event: AgentEvent): void {
    this.#router.route(event, undefined, { durable: true });
  }

  /**
   * The commands offered in clients' command menus (XEP-0050): those the requester's rights
   * allow, run through the router like a typed command.
   */
  commandDirectory(): CommandDirectory {
    return commandDirectory({
      policy: this.#policy,
      commands: () => this.#context.commands.commands,
      route: (event) => this.#router.route(event),
    });
  }

  /** Events taken, waiting or being handled, and handlers that failed, since start. */
  get stats(): { received: number; pending: number; failed: number } {
    return this.#router.stats;
  }

  /**
   * Takes up the events the last run recorded and did not finish (call it before the
   * connection starts, so they are answered before anything newer). One stored and
   * answered already gets its stored answer sent again (in a room, unless the room had
   * reflected it back); one stored and not answered is answered now.
   */
  replay(records: readonly { n: number; at: string; event: InboxEvent }[]): void {
    this.#router.replay(records);
  }

  /**
   * Asks for the agent's rooms before the connection starts, so that the joins go out first
   * (see `Membership.joinRooms`); without it they are asked once online.
   */
  joinRooms(): Promise<void> {
    return this.#context.membership.joinRooms();
  }

  /** Resolves when every queued conversation, invitation and session set-up is done. */
  idle(): Promise<void> {
    return this.#router.idle();
  }

  /** An event of one conversation, in its queue. */
  #conversation(
    event: AgentEvent,
    decision: { key: string; who?: string; rights: Rights },
    replayed?: Replayed,
  ): Promise<void | "held"> {
    const context = this.#context;
    switch (event.type) {
      case "message":
        return handleDirectMessage(event, decision.rights, context, replayed?.at);
      case "groupchat":
        return handleRoomMessage(
          event,
          { who: decision.who, rights: decision.rights },
          context,
          replayed?.at,
        );
      case "reaction":
        return handleReaction(event, decision.key, decision.rights, context);
      case "webhook":
      case "schedule":
        return this.#fromOutside(event, decision.key, replayed);
      case "greeting":
        return handleGreeting(event, context);
      case "adhoc":
        return handleAdhoc(event, decision.rights, context);
      default:
        return Promise.resolve();
    }
  }

  /** A webhook's or a schedule's event: only for someone the agent may speak to first. */
  async #fromOutside(
    event: WebhookEvent | ScheduleEvent,
    key: string,
    replayed?: Replayed,
  ): Promise<void | "held"> {
    const context = this.#context;
    if (!await context.membership.mayReach(key)) {
      context.options.log.warn(
        `Dropped a ${event.type} event for ${JSON.stringify(key)}: neither an allowed JID ` +
          "nor one of the agent's rooms",
      );
      return;
    }
    if (this.#hold(key)) return "held";
    return event.type === "webhook"
      ? handleWebhook(event, context, replayed?.at)
      : handleSchedule(event, context, replayed?.at);
  }

  /**
   * Whether a webhook's or a schedule's result for `key` waits (deliver_when_online): the
   * contact is known to be offline — not a room, not someone whose presence is unknown (the
   * server's offline storage delivers to them, once).
   */
  #hold(key: string): boolean {
    const { options, membership } = this.#context;
    if (options.proactive !== undefined && !options.proactive.deliverWhenOnline) return false;
    if (membership.isRoom(key) || !this.#presence.isOffline(key)) return false;
    // An unavailable presence means offline only from a contact whose presence the agent
    // receives: a server also answers a pending subscription request with one.
    if (!membership.follows(key) && !this.#presence.seenAvailable(key)) return false;
    options.log.info(`Holding an event for ${key} until they are online`);
    return true;
  }

  /** A contact's resource came or went: what was held for them goes; a greeting, maybe. */
  #contactPresence(bare: string, from: string, available: boolean): void {
    const change = this.#presence.update(bare, from, available);
    if (change !== "came online") return;
    const { options } = this.#context;
    const settled = options.now().getTime() - this.#onlineSince >= SETTLING_MS;
    // The greeting first (it judges the conversation as it was), then what waited.
    if (options.proactive?.greetOnLogin === true && settled) {
      this.#router.route({ type: "greeting", to: bare, from });
    }
    this.#router.release(bare);
  }

  /** An event of the session as a whole: presence, invitations, the link and the rooms. */
  async #session(event: AgentEvent, who: string | undefined): Promise<void> {
    const { membership, options } = this.#context;
    switch (event.type) {
      case "subscribe":
        return membership.subscribe(who ?? event.bare, event.to);
      case "unsubscribe":
        return membership.unsubscribe(event.bare, event.to);
      case "probe":
        return membership.probe(event);
      case "invite":
        return await membership.invite(event, who ?? event.inviter);
      case "room_joined":
        membership.joined(event.room, event.nick);
        options.log.info(`Joined ${event.room} as "${event.nick}"`);
        return;
      case "room_left":
        options.log.warn(
          `Left ${event.room} (${event.reason}${event.detail ? `: ${event.detail}` : ""})`,
        );
        return;
      case "presence":
        return this.#contactPresence(event.bare, event.from, event.available);
      case "online":
        // A resumed session kept its rooms, presence and subscriptions.
        if (event.resumed) return;
        // The server sends every contact's presence anew for a new session.
        this.#presence.clear();
        this.#onlineSince = options.now().getTime();
        return await membership.online();
    }
  }
}
