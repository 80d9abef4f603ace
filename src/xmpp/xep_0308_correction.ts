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
export const NS_MESSAGE_CORRECT = "urn:xmpp:message-correct:0";

/**
 * Builds the `<replace/>` element of a correction.
 *
 * @param id The id of the message corrected: the first one, for every correction of it
 *   (§4: corrections refer to the original message, not to each other)
 */
export function buildReplace(id: string): XmlElement {
  return xml("replace", { xmlns: NS_MESSAGE_CORRECT, id });
}
