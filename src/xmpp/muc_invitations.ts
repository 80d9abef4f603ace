/**
 * Which invitations are genuine. A mediated invitation (XEP-0045 §7.8.2) is relayed by the
 * room: it comes from the room's bare JID, on a domain that answers disco#info as a MUC
 * service, and only then can the inviter it names be believed at all. A direct invitation
 * (XEP-0249) is sent by the inviter, whose address the server vouches for; the room it names
 * must be on a MUC service too, or joining it would "join" some user's JID. Everything else
 * is dropped with a log line. Whether the inviter may invite is the agent's decision.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { InviteEvent, RoomOccupant, XmppEvent } from "./events.ts";
import { parseJid } from "../jid/mod.ts";
import type { MucServices } from "./muc_services.ts";
import { NS_MUC_USER, parseMediatedInvite } from "./xep_0045_muc.ts";
import { NS_CONFERENCE, parseDirectInvite } from "./xep_0249_direct_invite.ts";
import type { XmlElement } from "./_xml.ts";

/** Options for {@linkcode InvitationGate}. */
export interface InvitationGateOptions {
  services: MucServices;
  /** Receives the genuine invitations. */
  emit: (event: XmppEvent) => void;
  logger: Logger;
  /** The occupant behind `room/nick` when `room` is one of the agent's rooms. */
  occupantOf: (from: string) => RoomOccupant | undefined;
  /** Whether a bare JID is one of the agent's rooms. */
  isRoom: (jid: string) => boolean;
}

/**
 * Checks invitations before the agent sees them.
 *
 * @example
 * ```ts
 * const gate = new InvitationGate({ services, emit, logger, occupantOf });
 * if (gate.handle(stanza)) return; // an invitation: emitted later if genuine
 * ```
 */
export class InvitationGate {
  #options: InvitationGateOptions;

  constructor(options: InvitationGateOptions) {
    this.#options = options;
  }

  /**
   * Takes a message that carries an invitation: checks it in the background and emits it
   * when it is genuine, else logs why it was dropped.
   *
   * @returns `true` when the message carried an invitation (it is then handled here).
   */
  handle(stanza: XmlElement): boolean {
    const from = stanza.attrs.from ?? "";
    if (stanza.getChild("x", NS_MUC_USER)?.getChild("invite") !== undefined) {
      this.#mediated(stanza, from);
      return true;
    }
    if (stanza.getChild("x", NS_CONFERENCE) !== undefined) {
      this.#direct(stanza, from);
      return true;
    }
    return false;
  }

  #mediated(stanza: XmlElement, from: string): void {
    const invite = parseMediatedInvite(stanza);
    const sender = jidOf(from);
    if (invite === undefined || sender === undefined) {
      return this.#drop(from, "the invitation names no valid room or inviter");
    }
    if (sender.local === "" || sender.resource !== "") {
      return this.#drop(
        from,
        "a mediated invitation (XEP-0045 §7.8.2) is relayed by a room, from the room's bare " +
          "JID; this one was sent by someone else",
      );
    }
    this.#verify(invite, from);
  }

  #direct(stanza: XmlElement, from: string): void {
    const invite = parseDirectInvite(stanza);
    if (invite === undefined) return this.#drop(from, "the invitation names no valid room");
    if (!invite.room.includes("@")) return this.#drop(from, `"${invite.room}" is not a room JID`);
    const occupant = this.#options.occupantOf(from);
    if (occupant === undefined && this.#options.isRoom(invite.inviter)) {
      return this.#drop(from, "a room itself sends no direct invitations (XEP-0249)");
    }
    this.#verify(occupant === undefined ? invite : { ...invite, occupant }, from);
  }

  /** Emits the invitation once the room's domain has answered as a MUC service. */
  #verify(invite: InviteEvent, from: string): void {
    const service = invite.room.slice(invite.room.indexOf("@") + 1);
    this.#options.services.check(service).then((verdict) => {
      if (!verdict.muc) return this.#drop(from, `${invite.room} is not a room: ${verdict.reason}`);
      this.#options.emit(invite);
    }).catch((error: unknown) => this.#drop(from, String(error)));
  }

  #drop(from: string, why: string): void {
    this.#options.logger.info(`Dropped an invitation from ${from || "(no sender)"}: ${why}`);
  }
}

function jidOf(text: string) {
  try {
    return parseJid(text);
  } catch {
    return undefined;
  }
}
