/**
 * XEP-0030: Service Discovery (disco#info).
 *
 * @see https://xmpp.org/extensions/xep-0030.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The disco#info namespace. */
export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";

/** An identity advertised through disco#info. */
export interface DiscoIdentity {
  category: string;
  type: string;
  name: string;
}

/**
 * Builds a disco#info result payload. Features are sorted and deduplicated.
 *
 * @param identity The entity's identity (the agent is `client/bot`).
 * @param features The namespaces the agent supports.
 */
export function buildDiscoInfo(identity: DiscoIdentity, features: string[]): XmlElement {
  const unique = [...new Set([NS_DISCO_INFO, ...features])].sort();
  return xml(
    "query",
    { xmlns: NS_DISCO_INFO },
    xml("identity", { ...identity }),
    ...unique.map((feature) => xml("feature", { var: feature })),
  );
}
