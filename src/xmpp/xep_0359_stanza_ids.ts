/**
 * XEP-0359: Unique and Stable Stanza IDs (origin-id and stanza-id).
 *
 * @see https://xmpp.org/extensions/xep-0359.html
 * @module
 */
import { bareJid } from "../jid/mod.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The unique and stable stanza IDs namespace. */
export const NS_STANZA_ID = "urn:xmpp:sid:0";

/** Returns the sender's `<origin-id/>`, if any. */
export function originIdOf(stanza: XmlElement): string | undefined {
  return stanza.getChild("origin-id", NS_STANZA_ID)?.attrs.id || undefined;
}

/**
 * Returns the `<stanza-id/>` assigned by `by`, ignoring the others: anyone can put a
 * stanza-id in a message, only the one from the entity named in `by` can be trusted (§3.1).
 *
 * @param stanza A `<message/>`.
 * @param by The bare JID of the entity whose id is wanted (a room, the user's server).
 */
export function stanzaIdBy(stanza: XmlElement, by: string): string | undefined {
  const wanted = bareJid(by);
  const element = stanza.getChildren("stanza-id", NS_STANZA_ID)
    .find((el) => el.attrs.by !== undefined && bareJid(el.attrs.by) === wanted);
  return element?.attrs.id || undefined;
}

/** Builds an `<origin-id/>`. */
export function buildOriginId(id: string): XmlElement {
  return xml("origin-id", { xmlns: NS_STANZA_ID, id });
}
