/**
 * XEP-0027: Current Jabber OpenPGP Usage (obsolete, still sent by some clients): the message
 * is in `<x xmlns='jabber:x:encrypted'/>`.
 *
 * @see https://xmpp.org/extensions/xep-0027.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The legacy OpenPGP namespace for encrypted messages. */
export const NS_LEGACY_ENCRYPTED = "jabber:x:encrypted";

/**
 * Whether the message carries a legacy OpenPGP encrypted element.
 *
 * @param stanza A `<message/>`.
 */
export function isLegacyOpenPgpEncrypted(stanza: XmlElement): boolean {
  return stanza.getChild("x", NS_LEGACY_ENCRYPTED) !== undefined;
}
