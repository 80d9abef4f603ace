/**
 * The typed events the XMPP layer emits and the actions it accepts. The rest of the agent
 * knows these, never XML.
 *
 * @module
 */
import type { ChatState } from "./xep_0085_chat_states.ts";

/** A chat message with a body, from someone to the agent. */
export interface MessageEvent {
  type: "message";
  /** The sender's full JID as received. */
  from: string;
  /** The sender's normalised bare JID. */
  bare: string;
  /** The stanza id, when the sender gave one. */
  id?: string;
  /** The trimmed, non-empty body. */
  body: string;
  /** The XEP-0201 thread, when present. */
  thread?: string;
  /** The stanza type: `chat` or `normal`. */
  kind: "chat" | "normal";
}

/** Someone asks to see the agent's presence. */
export interface SubscribeEvent {
  type: "subscribe";
  bare: string;
}

/** The session is up (after every connect and reconnect). */
export interface OnlineEvent {
  type: "online";
  /** The full JID the server bound. */
  jid: string;
}

/** The session went down; a reconnect follows unless the agent stops. */
export interface OfflineEvent {
  type: "offline";
  reason: string;
}

/** Everything the XMPP layer reports. */
export type XmppEvent = MessageEvent | SubscribeEvent | OnlineEvent | OfflineEvent;

/** Send a message with a body. */
export interface SendMessageAction {
  type: "message";
  to: string;
  body: string;
  thread?: string;
  /** A chat state to include (replies carry `active`). */
  chatState?: ChatState;
}

/** Send a standalone chat state notification. */
export interface SendChatStateAction {
  type: "chat_state";
  to: string;
  state: ChatState;
  thread?: string;
}

/** Answer a subscription request. */
export interface PresenceAction {
  type: "subscribed" | "subscribe";
  to: string;
}

/** Send a raw, already validated stanza (developer command). */
export interface RawAction {
  type: "raw";
  xml: string;
}

/** Everything the agent can ask the XMPP layer to send. */
export type XmppAction = SendMessageAction | SendChatStateAction | PresenceAction | RawAction;
