/**
 * The one policy decision every event gets, before anything else happens to it: may it be
 * handled, in which conversation, and with which rights (developer commands, erasing the
 * conversation's memory, admin commands, tools). Handlers never ask again.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { InviteEvent, RoomOccupant } from "../xmpp/mod.ts";
import type { AgentEvent } from "./events.ts";
import { checkSender, type PolicyRules } from "./policy.ts";
import { occupantIdentity, roomVouchesFor } from "./room_trust.ts";
import { Speakers } from "./speakers.ts";

/** What whoever is behind an event may do. */
export interface Rights {
  /** Developer commands (`agent.dev_command_jids`). */
  dev: boolean;
  /** Erasing or archiving the conversation's memory. */
  erase: boolean;
  /** Admin commands (`agent.admin_jids`): enabling and disabling skills, another's usage. */
  admin: boolean;
  /** Tools and attachment downloads in this event's turn. */
  tools: boolean;
}

/** The outcome of {@linkcode Policy.decide}. */
export type Decision =
  | {
    outcome: "accept";
    /** The conversation whose queue the event waits in; absent for session-wide events. */
    key?: string;
    /** Who is behind it, as far as the agent can know: a bare JID. */
    who?: string;
    rights: Rights;
  }
  | { outcome: "ignore"; reason: string; quiet?: boolean };

/** What {@linkcode Policy} needs. */
export interface PolicyOptions {
  rules: PolicyRules;
  log: Logger;
  /** Bare JIDs allowed developer commands. @default {[]} */
  devJids?: readonly string[];
  /** Bare JIDs allowed admin commands. @default {[]} */
  adminJids?: readonly string[];
  /** Whether a bare JID is one of the agent's rooms. */
  isRoom: (jid: string) => boolean;
  /** A room's `tools` setting. */
  roomTools: (room: string) => "allowed" | "everyone";
  /** `component` mode answers presence probes itself. @default {"client"} */
  mode?: "client" | "component";
}

const NONE: Rights = { dev: false, erase: false, admin: false, tools: false };

/** Decides, once per event. */
export class Policy {
  #options: PolicyOptions;
  #speakers: Speakers;
  #serverDomain: string;

  constructor(options: PolicyOptions) {
    this.#options = options;
    this.#serverDomain = options.rules.serverDomain ?? options.rules.ownDomain;
    this.#speakers = new Speakers({
      rules: options.rules,
      log: options.log,
      serverDomain: this.#serverDomain,
      isRoom: options.isRoom,
    });
  }

  /**
   * The decision for one event.
   *
   * @param event Anything that reached the agent.
   */
  decide(event: AgentEvent): Decision {
    switch (event.type) {
      case "message":
        return this.#direct(event, "message");
      case "adhoc":
        return this.#direct(event, "menu command");
      case "groupchat":
        return this.#inRoom(event.room, event);
      case "reaction":
        return event.room === undefined
          ? this.#direct(event, "reaction")
          : this.#inRoom(event.room, {
            room: event.room,
            nick: event.nick ?? "",
            ...(event.realJid === undefined ? {} : { realJid: event.realJid }),
          });
      case "subscribe":
        return this.#allowed(event.bare, "a subscription request");
      case "probe": {
        if ((this.#options.mode ?? "client") !== "component") {
          return { outcome: "ignore", reason: "a probe in client mode", quiet: true };
        }
        const decision = this.#allowed(event.bare, "a presence probe");
        return decision.outcome === "ignore" ? { ...decision, quiet: true } : decision;
      }
      case "invite":
        return this.#invitation(event);
      case "presence": {
        const decision = this.#allowed(event.bare, "a presence");
        return decision.outcome === "ignore" ? { ...decision, quiet: true } : decision;
      }
      case "greeting":
        return {
          outcome: "accept",
          key: event.to,
          who: event.to,
          rights: this.#personal(event.to),
        };
      case "webhook":
        // The operator configured the route and its conversation; the payload is untrusted,
        // so its turn gets no tools.
        return { outcome: "accept", key: event.to, rights: NONE };
      case "schedule":
        return { outcome: "accept", key: event.conversation, rights: { ...NONE, tools: true } };
      default:
        // The session's own state: unsubscriptions, online and offline, rooms joined and left.
        return { outcome: "accept", rights: NONE };
    }
  }

  /** The rights of a known, allowed person in their own conversation. */
  #personal(jid: string): Rights {
    return {
      dev: (this.#options.devJids ?? []).includes(jid),
      erase: true,
      admin: (this.#options.adminJids ?? []).includes(jid),
      tools: true,
    };
  }

  #direct(
    event: { from: string; bare: string; occupant?: RoomOccupant },
    what: string,
  ): Decision {
    const who = this.#speakers.direct(event, what);
    if (who === undefined) return { outcome: "ignore", reason: "logged", quiet: true };
    return { outcome: "accept", key: who, who, rights: this.#personal(who) };
  }

  #inRoom(room: string, occupant: RoomOccupant): Decision {
    const speaker = this.#speakers.inRoom(occupant, this.#options.roomTools(room));
    const jid = speaker.jid;
    return {
      outcome: "accept",
      key: room,
      ...(jid === undefined ? {} : { who: jid }),
      rights: {
        dev: jid !== undefined && (this.#options.devJids ?? []).includes(jid),
        erase: speaker.allowed,
        admin: jid !== undefined && speaker.allowed &&
          (this.#options.adminJids ?? []).includes(jid),
        tools: speaker.tools,
      },
    };
  }

  #allowed(bare: string, what: string): Decision {
    const decision = checkSender(bare, this.#options.rules);
    if (!decision.allowed) {
      return { outcome: "ignore", reason: `${what} from ${bare}: ${decision.reason}` };
    }
    return { outcome: "accept", who: bare, rights: NONE };
  }

  /**
   * An invitation (already checked by the XMPP layer to come from, or lead to, a room of a
   * MUC service): accepted from an allowed inviter whose identity the agent can trust.
   */
  #invitation(event: InviteEvent): Decision {
    const inviter = this.#inviter(event);
    if ("reason" in inviter) {
      return { outcome: "ignore", reason: `an invitation to ${event.room}: ${inviter.reason}` };
    }
    const decision = checkSender(inviter.jid, this.#options.rules);
    if (!decision.allowed) {
      return {
        outcome: "ignore",
        reason: `an invitation to ${event.room} from ${inviter.jid}: ${decision.reason}`,
      };
    }
    return { outcome: "accept", who: inviter.jid, rights: NONE };
  }

  /** Who sent an invitation, as far as it can be known. */
  #inviter(event: InviteEvent): { jid: string } | { reason: string } {
    // A direct invitation sent privately through a room: its sender is that occupant.
    if (event.occupant !== undefined) return occupantIdentity(event.occupant, this.#serverDomain);
    if (event.direct) return { jid: event.inviter };
    if (event.inviter === event.room) {
      return {
        reason: "the room hides who sent it " +
          "(invite from a non-anonymous room, or send a direct invitation, XEP-0249)",
      };
    }
    if (!roomVouchesFor(event.room, event.inviter, this.#serverDomain)) {
      return {
        reason: `it names ${event.inviter} as the inviter, but the room's service is on ` +
          "neither the agent's server nor theirs, so it cannot vouch for that " +
          "(send a direct invitation, XEP-0249)",
      };
    }
    return { jid: event.inviter };
  }
}
