/**
 * XEP-0380: Explicit Message Encryption: `<encryption xmlns='urn:xmpp:eme:0' namespace='…'/>`
 * says a message is encrypted, and with what, even when the method itself is unknown.
 *
 * @see https://xmpp.org/extensions/xep-0380.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The explicit message encryption namespace. */
export const NS_EME = "urn:xmpp:eme:0";

/**
 * The namespace of the encryption method the message declares, if any.
 *
 * @param stanza A `<message/>`.
 */
export function explicitEncryptionOf(stanza: XmlElement): string | undefined {
  const marker = stanza.getChild("encryption", NS_EME);
  return marker === undefined ? undefined : marker.attrs.namespace || "";
}
