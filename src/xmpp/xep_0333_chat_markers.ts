/**
 * XEP-0333: Chat Markers (now "Displayed Markers"): `<markable/>` on a message, and the
 * `<received/>` and `<displayed/>` markers that answer it.
 *
 * @see https://xmpp.org/extensions/xep-0333.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The chat markers namespace. */
export const NS_CHAT_MARKERS = "urn:xmpp:chat-markers:0";

/** A marker the agent sends back. */
export type ChatMarker = "received" | "displayed";

/** Whether a message is markable. */
export function isMarkable(stanza: XmlElement): boolean {
  return stanza.getChild("markable", NS_CHAT_MARKERS) !== undefined;
}

/** Builds `<markable/>`, for the agent's own messages. */
export function buildMarkable(): XmlElement {
  return xml("markable", { xmlns: NS_CHAT_MARKERS });
}

/** Builds a marker for the message `id`. */
export function buildMarker(marker: ChatMarker, id: string): XmlElement {
  return xml(marker, { xmlns: NS_CHAT_MARKERS, id });
}
