/**
 * XEP-0444: Message Reactions.
 *
 * @see https://xmpp.org/extensions/xep-0444.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The reactions namespace. */
export const NS_REACTIONS = "urn:xmpp:reactions:0";

/** The reactions a message carries. */
export interface Reactions {
  /** The id of the message reacted to (in rooms: the room's stanza-id). */
  messageId: string;
  /** The sender's full current set of reactions on it; empty when all were removed. */
  emojis: string[];
}

/**
 * Returns the reactions a message carries, or `undefined` when it carries none (or no `id`).
 * Duplicate and empty `<reaction/>` elements are dropped (XEP-0444 §4.2).
 *
 * @param stanza A `<message/>`.
 */
export function parseReactions(stanza: XmlElement): Reactions | undefined {
  const reactions = stanza.getChild("reactions", NS_REACTIONS);
  const messageId = reactions?.attrs.id;
  if (reactions === undefined || !messageId) return undefined;
  const emojis = reactions.getChildren("reaction").map((r) => r.getText().trim())
    .filter((emoji) => emoji !== "");
  return { messageId, emojis: [...new Set(emojis)] };
}

/**
 * Builds the `<reactions/>` element: the agent's full set of reactions to the message `id`.
 *
 * @param id The id of the message reacted to.
 * @param emojis Every emoji the agent now has on it (empty: all removed).
 */
export function buildReactions(id: string, emojis: readonly string[]): XmlElement {
  return xml(
    "reactions",
    { xmlns: NS_REACTIONS, id },
    ...emojis.map((e) => xml("reaction", {}, e)),
  );
}
