/**
 * XEP-0085: Chat State Notifications.
 *
 * @see https://xmpp.org/extensions/xep-0085.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The chat states namespace. */
export const NS_CHAT_STATES = "http://jabber.org/protocol/chatstates";

/** The five chat states. */
export type ChatState = "active" | "composing" | "paused" | "inactive" | "gone";

const STATES: readonly ChatState[] = ["active", "composing", "paused", "inactive", "gone"];

/** Returns the chat state carried by a message, if any. */
export function chatStateOf(message: XmlElement): ChatState | undefined {
  return STATES.find((state) => message.getChild(state, NS_CHAT_STATES) !== undefined);
}

/** Builds a chat state element to put inside a message. */
export function buildChatState(state: ChatState): XmlElement {
  return xml(state, { xmlns: NS_CHAT_STATES });
}
