/**
 * XEP-0373: OpenPGP for XMPP (the `<openpgp/>` element; XEP-0374 uses it for instant messages).
 *
 * @see https://xmpp.org/extensions/xep-0373.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The OpenPGP for XMPP namespace. */
export const NS_OPENPGP = "urn:xmpp:openpgp:0";

/**
 * Whether the message carries an OpenPGP for XMPP element.
 *
 * @param stanza A `<message/>`.
 */
export function isOpenPgpEncrypted(stanza: XmlElement): boolean {
  return stanza.getChild("openpgp", NS_OPENPGP) !== undefined;
}
