/**
 * The typed events the XMPP layer emits and the actions it accepts. The rest of the agent
 * knows these, never XML.
 *
 * @module
 */
import type { ChatState } from "./xep_0085_chat_states.ts";

/** An out-of-band attachment (XEP-0066 `jabber:x:oob`). */
export interface OobAttachment {
  url: string;
  /** The `<desc/>`, when given. */
  description?: string;
}

/**
 * Who wrote through a room: a private message (XEP-0045 §7.5) or a direct invitation sent to
 * the agent by an occupant, from `room/nick`.
 */
export interface RoomOccupant {
  /** The room's normalised bare JID. */
  room: string;
  nick: string;
  /** The occupant's real bare JID, when the room discloses it to the agent. */
  realJid?: string;
}

/**
 * How a message the agent cannot read is end-to-end encrypted: OMEMO (XEP-0384), OpenPGP for
 * XMPP (XEP-0373), legacy OpenPGP (XEP-0027), OTR (XEP-0364), or another method a XEP-0380
 * marker declares.
 */
export type EncryptionMethod = "omemo" | "openpgp" | "openpgp_legacy" | "otr" | "other";

/**
 * A one-to-one message with a body (or attachments), or an encrypted message, from someone to
 * the agent.
 */
export interface MessageEvent {
  type: "message";
  /** The sender's full JID as received. */
  from: string;
  /** The sender's normalised bare JID. */
  bare: string;
  /**
   * The address the message was sent to (full or bare). In component mode replies are sent
   * from it, so a user talking to `anything@agent.example.org` gets answers from there.
   */
  to?: string;
  /** The stanza id, when the sender gave one. */
  id?: string;
  /** The sender's XEP-0359 origin-id, when present. */
  originId?: string;
  /**
   * The XEP-0359 stanza-id the agent's own server (or component domain) gave the message: the
   * same on every delivery of one message, so it recognises one delivered again.
   */
  stanzaId?: string;
  /**
   * The body without leading blank lines and trailing whitespace (indentation kept). Empty when
   * the message only carries attachments, and for encrypted messages.
   */
  body: string;
  /**
   * Set when the message is end-to-end encrypted: its body is then a fallback notice from the
   * sender's client, not what the person wrote, and is left out.
   */
  encrypted?: EncryptionMethod;
  /** The XEP-0201 thread, when present. */
  thread?: string;
  /** The stanza type: `chat` or `normal`. */
  kind: "chat" | "normal";
  /** XEP-0066 attachments; a body that only repeats an attachment URL is dropped. */
  attachments?: OobAttachment[];
  /**
   * Set when the message came through a room the agent is in (`from` is `room/nick`, `bare`
   * the room): a private message from that occupant, never the room's own conversation.
   */
  occupant?: RoomOccupant;
  /** Set when the sender asks for a delivery receipt (XEP-0184 `<request/>`). */
  receipt?: true;
  /** Set when the message is markable (XEP-0333): the agent sends `received` and `displayed`. */
  markable?: true;
  /** The id of the earlier message this one corrects (XEP-0308 `<replace/>`). */
  replaces?: string;
  /**
   * The earlier message this one replies to (XEP-0461); `quote` is the fallback quote the
   * sender's client put in front of the body (stripped from `body`), when there was one.
   */
  reply?: { id: string; to?: string; quote?: string };
}

/** A message in a joined room (XEP-0045 `groupchat`). */
export interface GroupchatEvent {
  type: "groupchat";
  /** The room's bare JID, normalised. */
  room: string;
  /** The speaker's nick. */
  nick: string;
  /** The occupant JID `room/nick` as received. */
  from: string;
  /** The speaker's real bare JID when the room discloses it (non-anonymous rooms). */
  realJid?: string;
  id?: string;
  originId?: string;
  /** The server's XEP-0359 stanza-id (`by` = the room), when present. */
  stanzaId?: string;
  body: string;
  thread?: string;
  attachments?: OobAttachment[];
  /** True when this is the agent's own message reflected by the room. */
  own: boolean;
  /** True for history the room replays on join (XEP-0203 delay). */
  delayed: boolean;
}

/** A XEP-0444 reaction to an earlier message. */
export interface ReactionEvent {
  type: "reaction";
  /** Full JID (one-to-one) or occupant JID (room). */
  from: string;
  /** The sender's bare JID (one-to-one) or the room's bare JID. */
  bare: string;
  /** Set in rooms: the reacting occupant's nick. */
  nick?: string;
  /** Set in rooms: the room. */
  room?: string;
  /** Set in rooms: the reacting occupant's real bare JID, when the room discloses it. */
  realJid?: string;
  /** Set for a reaction sent privately through a room (see {@linkcode MessageEvent.occupant}). */
  occupant?: RoomOccupant;
  /** The id of the message reacted to (the stanza-id in rooms). */
  messageId: string;
  /** The full set of emojis the sender now has on that message (empty = removed). */
  emojis: string[];
  to?: string;
}

/** Someone asks to see the agent's presence. */
export interface SubscribeEvent {
  type: "subscribe";
  bare: string;
  /** The address the request was sent to (component mode answers from it). */
  to?: string;
}

/** Someone no longer wants to see the agent's presence. */
export interface UnsubscribeEvent {
  type: "unsubscribe";
  /** Who: a bare JID. */
  bare: string;
  /** The address the request was sent to. */
  to?: string;
}

/**
 * A contact's server asks for the presence of one of the agent's addresses (component mode:
 * a client's server answers probes itself). RFC 6121 §4.3.
 */
export interface ProbeEvent {
  type: "probe";
  /** The JID that asked (a server sends its user's bare JID). */
  from: string;
  /** Its bare JID. */
  bare: string;
  /** The address probed. */
  to: string;
}

/**
 * A contact became available or unavailable (RFC 6121 §4): one resource of theirs, as their
 * server tells it to those who see their presence.
 */
export interface ContactPresenceEvent {
  type: "presence";
  /** The full JID (the resource that came or went). */
  from: string;
  /** Its normalised bare JID. */
  bare: string;
  /** True for an available presence, false for `unavailable`. */
  available: boolean;
  /** The address it was sent to (component mode). */
  to?: string;
}

/**
 * An invitation to a room: mediated (XEP-0045 §7.8.2) or direct (XEP-0249). Emitted only once
 * the room's domain has answered disco#info as a MUC service (and, for a mediated one, the
 * message came from the room's bare JID); whether the inviter may invite is the agent's call.
 */
export interface InviteEvent {
  type: "invite";
  room: string;
  /**
   * The inviter's bare JID. Equal to `room` for a mediated invitation from a room that hides
   * real JIDs (the room names the inviter `room/nick`): who invited cannot be known.
   */
  inviter: string;
  password?: string;
  reason?: string;
  direct: boolean;
  /**
   * Set for a direct invitation sent privately through a room: `inviter` is then the room,
   * and who sent it is this occupant.
   */
  occupant?: RoomOccupant;
}

/** The agent is in a room (after a join or rejoin). */
export interface RoomJoinedEvent {
  type: "room_joined";
  room: string;
  /** The nick the room gave the agent (may differ from the configured one). */
  nick: string;
}

/** The agent left a room, or could not join it; the XMPP layer retries where it makes sense. */
export interface RoomLeftEvent {
  type: "room_left";
  room: string;
  reason: "kicked" | "banned" | "destroyed" | "conflict" | "error" | "shutdown" | "left";
  detail?: string;
}

/** The session is up (after every connect and reconnect). */
export interface OnlineEvent {
  type: "online";
  /** The full JID the server bound (client) or the component domain. */
  jid: string;
  /**
   * True when the previous session was resumed (XEP-0198): rooms, presence and
   * subscriptions are as they were, nothing needs setting up again.
   */
  resumed?: boolean;
}

/** The session went down; a reconnect follows unless the agent stops. */
export interface OfflineEvent {
  type: "offline";
  reason: string;
}

/** Everything the XMPP layer reports. */
export type XmppEvent =
  | MessageEvent
  | GroupchatEvent
  | ReactionEvent
  | SubscribeEvent
  | UnsubscribeEvent
  | ProbeEvent
  | ContactPresenceEvent
  | InviteEvent
  | RoomJoinedEvent
  | RoomLeftEvent
  | OnlineEvent
  | OfflineEvent;

/** Send a message with a body. */
export interface SendMessageAction {
  type: "message";
  to: string;
  body: string;
  /** `groupchat` sends to a room's bare JID. @default {"chat"} */
  messageType?: "chat" | "groupchat";
  /** Sender address (component mode); ignored in client mode. */
  from?: string;
  thread?: string;
  /** A chat state to include (replies carry `active`). */
  chatState?: ChatState;
  /** The stanza id and origin-id to use; a fresh one when absent. */
  id?: string;
  /** A file's URL, sent as a XEP-0066 out-of-band link beside the body (which repeats it). */
  oob?: string;
  /** The id of the agent's earlier message this one corrects (XEP-0308). */
  replaces?: string;
  /**
   * The message this one answers (XEP-0461): `<reply/>`, and `quote` (its text) put in
   * front of the body as the fallback for clients without replies.
   */
  reply?: { id: string; to?: string; quote?: string };
}

/**
 * Acknowledge a received message in one stanza: a delivery receipt (XEP-0184) and/or a chat
 * marker (XEP-0333) for the message `id`.
 */
export interface AcknowledgeAction {
  type: "acknowledge";
  /** The sender's full JID. */
  to: string;
  from?: string;
  /** The id of the message acknowledged. */
  id: string;
  /** Include `<received xmlns='urn:xmpp:receipts'/>`. */
  receipt: boolean;
  /** Include this chat marker. */
  marker?: "received" | "displayed";
}

/** Send the agent's full set of reactions (XEP-0444) to one message. */
export interface ReactAction {
  type: "react";
  to: string;
  from?: string;
  /** The id of the message reacted to. */
  messageId: string;
  /** Every emoji the agent now has on it. */
  emojis: string[];
}

/** Send a standalone chat state notification. */
export interface SendChatStateAction {
  type: "chat_state";
  to: string;
  state: ChatState;
  messageType?: "chat" | "groupchat";
  from?: string;
  thread?: string;
  /**
   * The id of a message to mark `displayed` (XEP-0333) in the same stanza: the agent starts
   * working on it as it starts composing.
   */
  displayed?: string;
  /** The id of a message whose delivery receipt (XEP-0184) goes in the same stanza. */
  receipt?: string;
}

/** Answer or make a subscription request. */
export interface PresenceAction {
  type: "subscribed" | "subscribe";
  to: string;
  from?: string;
}

/**
 * Tell one contact that the agent is available (component mode, where the server does not
 * do it). The component connection tells the same contacts it leaves when it stops.
 */
export interface AnnounceAction {
  type: "announce";
  to: string;
  from?: string;
}

/**
 * The configuration the agent submits for a room it creates (XEP-0045 §10.1.3), as
 * `muc#roomconfig` fields. Unset fields keep the service's defaults.
 */
export interface NewRoomConfig {
  /** `muc#roomconfig_roomname`. */
  name?: string;
  /** `muc#roomconfig_persistentroom`: the room outlives its last occupant. */
  persistent?: boolean;
  /** `muc#roomconfig_publicroom`: listed in the service's room directory. */
  public?: boolean;
  /** `muc#roomconfig_membersonly`. */
  membersOnly?: boolean;
  /** `muc#roomconfig_whois`: who may see occupants' real JIDs. */
  whois?: "moderators" | "anyone";
}

/** Join (and keep rejoining) a room. */
export interface JoinRoomAction {
  type: "join";
  room: string;
  nick: string;
  /** The room's password; a room the agent creates is protected by it. */
  password?: string;
  /** How many messages the room may replay on join (XEP-0045 `maxstanzas`). @default {0} */
  historyMaxStanzas?: number;
  /**
   * What to submit when the join creates the room (status 201: the room stays locked until
   * its owner configures it). Without it (and without a password) the agent accepts the
   * service's defaults (an instant room, §10.1.2).
   */
  create?: NewRoomConfig;
}

/** Leave a room and stop rejoining it. */
export interface LeaveRoomAction {
  type: "leave";
  room: string;
}

/** Send a raw, already validated stanza (developer command). */
export interface RawAction {
  type: "raw";
  xml: string;
}

/** Everything the agent can ask the XMPP layer to send. */
export type XmppAction =
  | SendMessageAction
  | SendChatStateAction
  | AcknowledgeAction
  | ReactAction
  | PresenceAction
  | AnnounceAction
  | JoinRoomAction
  | LeaveRoomAction
  | RawAction;
