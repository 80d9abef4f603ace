/**
 * What arrives from the agent's rooms, given what the {@linkcode RoomRegistry} knows of each:
 * room messages and reactions (joined rooms only), private messages through a room (marked
 * with their occupant, never taken for the room's own conversation), and invitations
 * (checked before the agent sees them).
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type {
  GroupchatEvent,
  MessageEvent,
  ReactionEvent,
  RoomOccupant,
  XmppEvent,
} from "./events.ts";
import { parseGroupchat, parseRoomReaction, type RoomView } from "./groupchat.ts";
import { bareJid, parseJid } from "../jid/mod.ts";
import { InvitationGate } from "./muc_invitations.ts";
import { type IqRequest, MucServices } from "./muc_services.ts";
import { parseReactions } from "./xep_0444_reactions.ts";
import type { XmlElement } from "./_xml.ts";

/** Options for {@linkcode RoomTraffic}. */
export interface RoomTrafficOptions {
  /** One of the agent's rooms (the desired set), by normalised bare JID. */
  room: (jid: string) => { joined: boolean; view: RoomView } | undefined;
  request: IqRequest;
  /** Receives the genuine invitations. */
  emit: (event: XmppEvent) => void;
  logger: Logger;
  /** The address IQs are sent from (component mode); absent in client mode. */
  from?: string | undefined;
}

/** Parses and checks what rooms send. */
export class RoomTraffic {
  #options: RoomTrafficOptions;
  #invitations: InvitationGate;

  constructor(options: RoomTrafficOptions) {
    this.#options = options;
    this.#invitations = new InvitationGate({
      services: new MucServices({ request: options.request, from: options.from }),
      emit: options.emit,
      logger: options.logger,
      occupantOf: (from) => this.#occupantOf(from),
      isRoom: (jid) => options.room(jid) !== undefined,
    });
  }

  /**
   * Parses a `groupchat` message: an event for a joined room, `undefined` otherwise
   * (rooms not joined, subjects, the room's own notices).
   */
  groupchat(stanza: XmlElement): GroupchatEvent | ReactionEvent | undefined {
    const known = this.#options.room(bareJid(stanza.attrs.from ?? "") ?? "");
    if (known === undefined || !known.joined) {
      this.#options.logger.debug(
        `Ignoring a groupchat message from ${stanza.attrs.from}: room not joined`,
      );
      return undefined;
    }
    return parseReactions(stanza) === undefined
      ? parseGroupchat(stanza, known.view)
      : parseRoomReaction(stanza, known.view);
  }

  /**
   * Takes a message that carries an invitation: checks it in the background
   * ({@linkcode InvitationGate}) and emits it when genuine, else logs why it was dropped.
   *
   * @returns `true` when the message carried an invitation.
   */
  invitation(stanza: XmlElement): boolean {
    return this.#invitations.handle(stanza);
  }

  /**
   * Marks a one-to-one message or reaction that came through one of the agent's rooms
   * (from `room/nick`: a private message, XEP-0045 §7.5) with its occupant, so that it is
   * never taken for the room's own conversation. Drops what the room itself sends from its
   * bare JID outside groupchat (notices, voice requests): there is nobody to answer.
   */
  throughRoom<E extends MessageEvent | ReactionEvent>(event: E | undefined): E | undefined {
    if (event === undefined || this.#options.room(event.bare) === undefined) return event;
    const occupant = this.#occupantOf(event.from);
    if (occupant === undefined) {
      this.#options.logger.debug(`Ignoring a ${event.type} from the room ${event.from} itself`);
      return undefined;
    }
    return { ...event, occupant };
  }

  /** The occupant behind `room/nick`, for one of the agent's rooms. */
  #occupantOf(from: string): RoomOccupant | undefined {
    let jid;
    try {
      jid = parseJid(from);
    } catch {
      return undefined;
    }
    const known = this.#options.room(jid.bare);
    if (known === undefined || jid.resource === "") return undefined;
    const occupant: RoomOccupant = { room: jid.bare, nick: jid.resource };
    const realJid = known.view.realJidOf(jid.resource);
    if (realJid !== undefined) occupant.realJid = realJid;
    return occupant;
  }
}
