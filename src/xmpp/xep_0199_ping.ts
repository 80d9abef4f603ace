/**
 * XEP-0199: XMPP Ping.
 *
 * @see https://xmpp.org/extensions/xep-0199.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The ping namespace. */
export const NS_PING = "urn:xmpp:ping";

/** Builds the payload of a ping IQ. */
export function buildPing(): XmlElement {
  return xml("ping", { xmlns: NS_PING });
}
