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
 * @param node The node asked about (§3.2), echoed in the answer.
 */
export function buildDiscoInfo(
  identity: DiscoIdentity,
  features: readonly string[],
  node?: string,
): XmlElement {
  const unique = [...new Set([NS_DISCO_INFO, ...features])].sort();
  return xml(
    "query",
    { xmlns: NS_DISCO_INFO, node },
    xml("identity", { ...identity }),
    ...unique.map((feature) => xml("feature", { var: feature })),
  );
}

/** Builds an empty disco#info query, the payload of an `<iq type='get'/>` (§3.1). */
export function buildDiscoInfoQuery(): XmlElement {
  return xml("query", { xmlns: NS_DISCO_INFO });
}

/** What an entity says about itself in a disco#info result. */
export interface DiscoInfo {
  identities: { category: string; type: string }[];
  features: string[];
}

/**
 * Reads the identities and features of a disco#info result.
 *
 * @param iq An `<iq type='result'/>` answering {@linkcode buildDiscoInfoQuery}.
 * @returns Empty lists when the result holds no disco#info query.
 */
export function parseDiscoInfo(iq: XmlElement): DiscoInfo {
  const query = iq.getChild("query", NS_DISCO_INFO);
  return {
    identities: (query?.getChildren("identity") ?? []).map((identity) => ({
      category: identity.attrs.category ?? "",
      type: identity.attrs.type ?? "",
    })),
    features: (query?.getChildren("feature") ?? []).map((feature) => feature.attrs.var ?? ""),
  };
}
