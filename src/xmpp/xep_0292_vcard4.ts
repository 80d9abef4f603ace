/**
 * XEP-0292: vCard4 Over XMPP — the agent's name as a PEP item (`urn:xmpp:vcard4`).
 *
 * @see https://xmpp.org/extensions/xep-0292.html
 * @module
 */
import { buildPublish } from "./xep_0163_pep.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The vCard4 PEP node. */
export const NS_VCARD4_NODE = "urn:xmpp:vcard4";
/** The vCard 4.0 XML namespace (RFC 6351). */
export const NS_VCARD4 = "urn:ietf:params:xml:ns:vcard-4.0";

/** Builds the publication of a vCard4 with the agent's name (item id `current`, §3.1). */
export function buildVCard4Publication(name: string): XmlElement {
  const vcard = xml(
    "vcard",
    { xmlns: NS_VCARD4 },
    xml("fn", {}, xml("text", {}, name)),
    xml("nickname", {}, xml("text", {}, name)),
  );
  return buildPublish(NS_VCARD4_NODE, "current", vcard);
}
