/**
 * XEP-0115: Entity Capabilities. The agent's presence carries a hash of what its disco#info
 * says, so clients know its features without asking each time.
 *
 * @see https://xmpp.org/extensions/xep-0115.html
 * @module
 */
import { createHash } from "node:crypto";
import { xml, type XmlElement } from "./_xml.ts";
import type { DiscoIdentity } from "./xep_0030_disco.ts";

/** The entity capabilities namespace. */
export const NS_CAPS = "http://jabber.org/protocol/caps";

/**
 * The verification string of §5.1 (identities, then features, each sorted and followed by
 * `<`), hashed with SHA-1 and encoded in Base64. The agent has no extended forms.
 *
 * @param identities The identities disco#info lists (no `xml:lang`).
 * @param features The features disco#info lists.
 */
export function capsVerification(
  identities: readonly DiscoIdentity[],
  features: readonly string[],
): string {
  const ids = identities.map((i) => `${i.category}/${i.type}//${i.name}`).sort();
  const text = [...ids, ...[...new Set(features)].sort()].map((part) => `${part}<`).join("");
  return createHash("sha1").update(text, "utf8").digest("base64");
}

/**
 * Builds the `<c/>` element of a presence (§4).
 *
 * @param node The URI of the software.
 * @param ver The result of {@linkcode capsVerification}.
 */
export function buildCaps(node: string, ver: string): XmlElement {
  return xml("c", { xmlns: NS_CAPS, hash: "sha-1", node, ver });
}
