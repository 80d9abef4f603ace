/**
 * Who is speaking, and what they may have: the policy applied to one-to-one senders, to
 * occupants writing privately through a room, and to speakers in a room.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { RoomOccupant } from "../xmpp/mod.ts";
import { checkSender, type PolicyRules } from "./policy.ts";
import { occupantIdentity } from "./room_trust.ts";

/** What {@linkcode Speakers} needs. */
export interface SpeakersOptions {
  rules: PolicyRules;
  log: Logger;
  /** The XMPP server's domain, whose rooms are believed about their occupants. */
  serverDomain: string;
  /** Whether a bare JID is one of the agent's rooms. */
  isRoom: (jid: string) => boolean;
}

/** A speaker in a room, as far as the agent can know them. */
export interface RoomSpeaker {
  /** Their real bare JID, when the room discloses it and may vouch for it. */
  jid: string | undefined;
  /** Whether that JID passes the policy (it may erase the room's memory). */
  allowed: boolean;
  /** Whether their turns get tools and downloads: allowed, or anyone where the room says so. */
  tools: boolean;
}

/** Applies the policy to whoever writes. */
export class Speakers {
  #options: SpeakersOptions;

  constructor(options: SpeakersOptions) {
    this.#options = options;
  }

  /**
   * Who is talking one-to-one, if they may: the sender, or for a private message through a
   * room the occupant's real JID (a conversation of its own, never the room's). Otherwise
   * `undefined`, and a log line that says why.
   *
   * @param event The message or reaction.
   * @param what `"message"` or `"reaction"`, for the log line.
   */
  direct(
    event: { from: string; bare: string; occupant?: RoomOccupant },
    what: string,
  ): string | undefined {
    const { log, rules } = this.#options;
    if (event.occupant === undefined && this.#options.isRoom(event.bare)) {
      log.info(`Ignored a ${what} from the room ${event.bare} itself`);
      return undefined;
    }
    if (event.occupant === undefined) {
      const decision = checkSender(event.bare, rules);
      if (decision.allowed) return event.bare;
      log.info(`Ignored a ${what} from ${event.bare}: ${decision.reason}`);
      return undefined;
    }
    const who = occupantIdentity(event.occupant, this.#options.serverDomain);
    if ("reason" in who) {
      log.info(`Ignored a private ${what} from ${event.from}: ${who.reason}`);
      return undefined;
    }
    const decision = checkSender(who.jid, rules);
    if (decision.allowed) return who.jid;
    log.info(`Ignored a private ${what} from ${who.jid} through ${event.from}: ${decision.reason}`);
    return undefined;
  }

  /**
   * A speaker in a room.
   *
   * @param occupant The room, the nick and the real JID the room disclosed.
   * @param tools The room's `tools` setting. @default {"allowed"}
   */
  inRoom(occupant: RoomOccupant, tools: "allowed" | "everyone" = "allowed"): RoomSpeaker {
    const who = occupantIdentity(occupant, this.#options.serverDomain);
    const jid = "jid" in who ? who.jid : undefined;
    const allowed = jid !== undefined && checkSender(jid, this.#options.rules).allowed;
    return { jid, allowed, tools: allowed || tools === "everyone" };
  }
}
