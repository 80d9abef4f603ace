/**
 * XEP-0203: Delayed Delivery.
 *
 * @see https://xmpp.org/extensions/xep-0203.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The delayed delivery namespace. */
export const NS_DELAY = "urn:xmpp:delay";

/** True when the stanza was delivered late (room history, offline storage). */
export function isDelayed(stanza: XmlElement): boolean {
  return stanza.getChild("delay", NS_DELAY) !== undefined;
}
