/**
 * Parsing room messages (XEP-0045 §7.4 `groupchat`) and room reactions (XEP-0444 §4.3),
 * given what the agent knows about the room: its own nick there, the ids it sent, the
 * occupants' real JIDs.
 *
 * @module
 */
import type { GroupchatEvent, ReactionEvent } from "./events.ts";
import { parseJid } from "../jid/mod.ts";
import { encryptionOf } from "./message_encryption.ts";
import { bodyBesideAttachments, parseOobAttachments } from "./xep_0066_oob.ts";
import { bodyText } from "./_body_text.ts";
import { isDelayed } from "./xep_0203_delay.ts";
import { originIdOf, stanzaIdBy } from "./xep_0359_stanza_ids.ts";
import { parseReactions } from "./xep_0444_reactions.ts";
import type { XmlElement } from "./_xml.ts";

/** What parsing a room's message needs to know about the room. */
export interface RoomView {
  /** The room's normalised bare JID. */
  room: string;
  /** The agent's current nick in the room. */
  nick: string | undefined;
  /** True when the agent sent a message with this id (or origin-id) to the room recently. */
  sentId(id: string): boolean;
  /** The real bare JID of an occupant, when the room disclosed it. */
  realJidOf(nick: string): string | undefined;
}

/**
 * Turns a `groupchat` message from an occupant into a {@linkcode GroupchatEvent}. Returns
 * `undefined` for messages from the room itself (subjects, status notices), subject changes,
 * end-to-end encrypted messages (unreadable) and messages with neither a body nor an
 * attachment.
 *
 * @param stanza A `<message type='groupchat'/>` from `view.room`.
 * @param view The room's state.
 */
export function parseGroupchat(stanza: XmlElement, view: RoomView): GroupchatEvent | undefined {
  const occupant = occupantOf(stanza, view);
  if (occupant === undefined || stanza.attrs.type !== "groupchat") return undefined;
  // Its body is the sender's client apologising for encryption, not what the person wrote.
  if (encryptionOf(stanza) !== undefined) return undefined;
  const attachments = parseOobAttachments(stanza);
  const body = bodyBesideAttachments(bodyText(stanza), attachments);
  if (body === "" && attachments.length === 0) return undefined;
  const { from, nick } = occupant;
  const id = stanza.attrs.id || undefined;
  const originId = originIdOf(stanza);
  const own = nick === view.nick || [originId, id].some((v) => v !== undefined && view.sentId(v));
  const event: GroupchatEvent = {
    type: "groupchat",
    room: view.room,
    nick,
    from,
    body,
    own,
    delayed: isDelayed(stanza),
  };
  const realJid = view.realJidOf(nick);
  if (realJid !== undefined) event.realJid = realJid;
  if (id !== undefined) event.id = id;
  if (originId !== undefined) event.originId = originId;
  const stanzaId = stanzaIdBy(stanza, view.room);
  if (stanzaId !== undefined) event.stanzaId = stanzaId;
  const thread = stanza.getChildText("thread")?.trim();
  if (thread) event.thread = thread;
  if (attachments.length > 0) event.attachments = attachments;
  return event;
}

/**
 * Turns a reaction sent in a room into a {@linkcode ReactionEvent}; the agent's own
 * reactions (reflected by the room) and replayed history are skipped.
 *
 * @param stanza A `<message type='groupchat'/>` from `view.room`.
 * @param view The room's state.
 */
export function parseRoomReaction(stanza: XmlElement, view: RoomView): ReactionEvent | undefined {
  const occupant = occupantOf(stanza, view);
  const reactions = parseReactions(stanza);
  if (occupant === undefined || reactions === undefined) return undefined;
  if (occupant.nick === view.nick || isDelayed(stanza)) return undefined;
  const event: ReactionEvent = {
    type: "reaction",
    from: occupant.from,
    bare: view.room,
    nick: occupant.nick,
    room: view.room,
    ...reactions,
  };
  const realJid = view.realJidOf(occupant.nick);
  if (realJid !== undefined) event.realJid = realJid;
  if (stanza.attrs.to) event.to = stanza.attrs.to;
  return event;
}

function occupantOf(
  stanza: XmlElement,
  view: RoomView,
): { from: string; nick: string } | undefined {
  const from = stanza.attrs.from ?? "";
  try {
    const jid = parseJid(from);
    if (jid.bare !== view.room || jid.resource === "") return undefined;
    return { from, nick: jid.resource };
  } catch {
    return undefined;
  }
}
