/**
 * The XMPP layer: connection, JIDs, stanza parsing and building. The only folder that
 * knows XML; the rest of the agent sees typed events and actions.
 *
 * @module
 */
export { Backoff } from "./backoff.ts";
export type { BackoffOptions } from "./backoff.ts";
export { ClientConnection, XmppFatalError } from "./client_connection.ts";
export type { ClientConnectionOptions } from "./client_connection.ts";
export type {
  MessageEvent,
  OfflineEvent,
  OnlineEvent,
  PresenceAction,
  RawAction,
  SendChatStateAction,
  SendMessageAction,
  SubscribeEvent,
  XmppAction,
  XmppEvent,
} from "./events.ts";
export { bareJid, parseJid } from "./jid.ts";
export type { Jid } from "./jid.ts";
export { isSubscribedTo } from "./rfc6121_roster.ts";
export type { RosterItem } from "./rfc6121_roster.ts";
export type { ChatState } from "./xep_0085_chat_states.ts";
export { parseXml } from "./_xml.ts";
