/**
 * XEP-0384: OMEMO Encryption, in both namespaces clients use: the legacy
 * `eu.siacs.conversations.axolotl` (Conversations, Dino, Gajim, Monal…) and `urn:xmpp:omemo:2`.
 *
 * @see https://xmpp.org/extensions/xep-0384.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The OMEMO namespace most clients still use (OMEMO 0.3). */
export const NS_OMEMO_LEGACY = "eu.siacs.conversations.axolotl";
/** The namespace of OMEMO 2 (XEP-0384 0.8 and later). */
export const NS_OMEMO_2 = "urn:xmpp:omemo:2";

/**
 * Whether the message carries an OMEMO-encrypted payload. A key transport element (an
 * `<encrypted/>` with a header and no payload) sets up a session and says nothing.
 *
 * @param stanza A `<message/>`.
 */
export function isOmemoEncrypted(stanza: XmlElement): boolean {
  return [NS_OMEMO_LEGACY, NS_OMEMO_2].some((ns) =>
    stanza.getChild("encrypted", ns)?.getChild("payload") !== undefined
  );
}
