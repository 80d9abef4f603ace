/**
 * XEP-0184: Message Delivery Receipts.
 *
 * @see https://xmpp.org/extensions/xep-0184.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The receipts namespace. */
export const NS_RECEIPTS = "urn:xmpp:receipts";

/** Whether a message asks for a receipt (`<request/>`, §4). */
export function requestsReceipt(stanza: XmlElement): boolean {
  return stanza.getChild("request", NS_RECEIPTS) !== undefined;
}

/** Builds the `<received id='…'/>` that acknowledges the message `id`. */
export function buildReceipt(id: string): XmlElement {
  return xml("received", { xmlns: NS_RECEIPTS, id });
}
