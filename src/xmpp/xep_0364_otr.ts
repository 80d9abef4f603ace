/**
 * XEP-0364: Current Off-the-Record Messaging Usage. OTR travels inside the `<body/>`: every
 * OTR message (query, key exchange, data, fragment, error) starts with `?OTR`.
 *
 * @see https://xmpp.org/extensions/xep-0364.html
 * @see https://otr.cypherpunks.ca/Protocol-v3-4.1.1.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The OTR namespace used in XEP-0380 `<encryption/>` markers. */
export const NS_OTR = "urn:xmpp:otr:0";

/**
 * Whether the message body is an OTR protocol message rather than text.
 *
 * @param stanza A `<message/>`.
 */
export function isOtrMessage(stanza: XmlElement): boolean {
  return (stanza.getChildText("body") ?? "").trimStart().startsWith("?OTR");
}
