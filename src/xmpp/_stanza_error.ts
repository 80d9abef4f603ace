/**
 * Stanza errors an IQ handler answers with (RFC 6120 §8.3): returned from an xmpp.js
 * `iqCallee` handler, an `<error/>` element becomes the IQ's error reply.
 *
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** An `<error/>` with a defined condition and an optional human-readable text. */
export function stanzaError(
  type: "cancel" | "modify" | "auth" | "wait",
  condition: string,
  text?: string,
): XmlElement {
  return xml(
    "error",
    { type },
    xml(condition, { xmlns: NS_STANZAS }),
    text === undefined ? undefined : xml("text", { xmlns: NS_STANZAS }, text),
  );
}

/** `item-not-found`: the node or item asked about does not exist. */
export function itemNotFound(): XmlElement {
  return stanzaError("cancel", "item-not-found");
}
