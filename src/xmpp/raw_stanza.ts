/**
 * Validation of the raw XML a developer sends with `/raw`: exactly one well-formed
 * `<message/>`, `<presence/>` or `<iq/>` (RFC 6120 §8), nothing else.
 *
 * @module
 */
import { errorMessage } from "../log/mod.ts";
import { parseXml, type XmlElement } from "./_xml.ts";

const STANZAS = ["message", "presence", "iq"];
const IQ_TYPES = ["get", "set", "result", "error"];

/**
 * Parses raw XML that must be a single stanza.
 *
 * @param text The XML, e.g. `<presence to='room@muc/nick'/>`.
 * @returns The stanza element.
 * @throws {TypeError} When the text is not one well-formed element, not a stanza, in another
 *   namespace than `jabber:client` (or `jabber:component:accept`), or an `<iq/>` without a
 *   valid `type` or an `id`.
 *
 * @example
 * ```ts
 * parseRawStanza("<presence/>").name; // "presence"
 * parseRawStanza("<stream:features/>"); // throws TypeError
 * ```
 */
export function parseRawStanza(text: string): XmlElement {
  let element: XmlElement;
  try {
    element = parseXml(text.trim());
  } catch (error) {
    const why = errorMessage(error);
    throw new TypeError(`Not a stanza: ${why}`);
  }
  if (!STANZAS.includes(element.name)) {
    throw new TypeError(
      `Not a stanza: expected <message/>, <presence/> or <iq/>, got <${element.name}/>`,
    );
  }
  const ns = element.attrs.xmlns;
  if (ns !== undefined && ns !== "jabber:client" && ns !== "jabber:component:accept") {
    throw new TypeError(`Not a stanza: unexpected namespace "${ns}"`);
  }
  if (element.name === "iq") {
    if (!IQ_TYPES.includes(element.attrs.type ?? "")) {
      throw new TypeError(`Not a stanza: an <iq/> needs type "get", "set", "result" or "error"`);
    }
    if (!element.attrs.id) throw new TypeError("Not a stanza: an <iq/> needs an id");
  }
  return element;
}

/**
 * Checks raw XML before it is queued or sent (the `/raw` command calls it to tell the user
 * what is wrong).
 *
 * @param text The XML to check.
 * @throws {TypeError} As {@linkcode parseRawStanza}.
 */
export function validateRawStanza(text: string): void {
  parseRawStanza(text);
}
