/**
 * XEP-0308: Last Message Correction. A message that carries `<replace id="…"/>` replaces, in
 * clients that support it, the text of the earlier message with that id, sent by the same
 * sender in the same conversation.
 *
 * @see https://xmpp.org/extensions/xep-0308.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The message correction namespace. */
export const NS_CORRECTION = "urn:xmpp:message-correct:0";

/** The id of the message a correction replaces, if the message is one. */
export function replacedId(stanza: XmlElement): string | undefined {
  return stanza.getChild("replace", NS_CORRECTION)?.attrs.id || undefined;
}

/** Builds `<replace id='…'/>`: this message corrects the message `id`. */
export function buildReplace(id: string): XmlElement {
  return xml("replace", { xmlns: NS_CORRECTION, id });
}
