/**
 * The XMPP layer: client and component connections, rooms, JIDs, stanza parsing and
 * building. The only folder that knows XML; the rest of the agent sees typed events and
 * actions.
 *
 * @module
 */
export { Backoff } from "./backoff.ts";
export type { BackoffOptions } from "./backoff.ts";
export { ClientConnection } from "./client_connection.ts";
export type { ClientConnectionOptions } from "./client_connection.ts";
export { ComponentConnection } from "./component_connection.ts";
export type { ComponentConnectionOptions } from "./component_connection.ts";
export type {
  AnnounceAction,
  EncryptionMethod,
  GroupchatEvent,
  InviteEvent,
  JoinRoomAction,
  LeaveRoomAction,
  MessageEvent,
  OfflineEvent,
  OnlineEvent,
  OobAttachment,
  PresenceAction,
  ProbeEvent,
  RawAction,
  ReactionEvent,
  RoomJoinedEvent,
  RoomLeftEvent,
  SendChatStateAction,
  SendMessageAction,
  SubscribeEvent,
  UnsubscribeEvent,
  XmppAction,
  XmppEvent,
} from "./events.ts";
export { bareJid, parseJid } from "./jid.ts";
export type { Jid } from "./jid.ts";
export { RoomRegistry } from "./muc_rooms.ts";
export type { RoomRegistryOptions, RoomStatus, RoomTimers } from "./muc_rooms.ts";
export { parseRawStanza, validateRawStanza } from "./raw_stanza.ts";
export { isSubscribedTo } from "./rfc6121_roster.ts";
export type { RosterItem } from "./rfc6121_roster.ts";
export type { ChatState } from "./xep_0085_chat_states.ts";
export { XmppFatalError } from "./xmpp_fatal_error.ts";
export { parseXml } from "./_xml.ts";
