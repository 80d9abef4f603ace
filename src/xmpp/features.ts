/**
 * What the agent implements, as the namespaces its disco#info lists (XEP-0030) and its
 * entity capabilities hash (XEP-0115). One list: the answer to disco#info and the hash in
 * presence are both built from it, so they cannot disagree, and a test compares it with
 * what a real client reads.
 *
 * @module
 */
import { buildDiscoInfo, type DiscoIdentity, NS_DISCO_INFO } from "./xep_0030_disco.ts";
import { NS_DATA_FORMS } from "./xep_0004_data_forms.ts";
import { NS_COMMANDS } from "./xep_0050_commands.ts";
import { NS_VCARD_TEMP } from "./xep_0054_vcard_temp.ts";
import { NS_OOB } from "./xep_0066_oob.ts";
import { NS_CHAT_STATES } from "./xep_0085_chat_states.ts";
import { NS_VERSION } from "./xep_0092_version.ts";
import { NS_CAPS } from "./xep_0115_caps.ts";
import { NS_PING } from "./xep_0199_ping.ts";
import { NS_STANZA_ID } from "./xep_0359_stanza_ids.ts";
import { NS_RECEIPTS } from "./xep_0184_receipts.ts";
import { NS_CORRECTION } from "./xep_0308_correction.ts";
import { NS_CHAT_MARKERS } from "./xep_0333_chat_markers.ts";
import { NS_STYLING } from "./xep_0393_message_styling.ts";
import { NS_REACTIONS } from "./xep_0444_reactions.ts";
import { NS_REPLY } from "./xep_0461_replies.ts";
import type { XmlElement } from "./_xml.ts";

/** The URI of the software, the `node` of its entity capabilities (XEP-0115 §4). */
export const CAPS_NODE = "https://github.com/processone/fluux-agent";

/**
 * What the agent does with messages: receipts, chat markers, corrections, message styling,
 * reactions and replies (one-to-one chats).
 */
export const MESSAGE_FEATURES: readonly string[] = [
  NS_RECEIPTS,
  NS_CHAT_MARKERS,
  NS_CORRECTION,
  NS_STYLING,
  NS_REACTIONS,
  NS_REPLY,
];

/** The namespaces the agent implements in both modes, one per line. */
export const FEATURES: readonly string[] = [
  NS_DISCO_INFO,
  NS_CAPS,
  NS_CHAT_STATES,
  NS_COMMANDS,
  NS_DATA_FORMS,
  NS_OOB,
  NS_PING,
  NS_STANZA_ID,
  NS_VERSION,
  ...MESSAGE_FEATURES,
];

/**
 * What a component answers on top of {@linkcode FEATURES}: it has no server to keep its
 * vCard, so it answers vCard-temp queries itself (XEP-0054).
 */
export const COMPONENT_FEATURES: readonly string[] = [...FEATURES, NS_VCARD_TEMP];

/**
 * Builds the agent's disco#info answer from a feature list.
 *
 * @param identity Who answers (`client/bot`, or `component/generic` for a component domain).
 * @param features {@linkcode FEATURES} or {@linkcode COMPONENT_FEATURES}.
 * @param node The node asked about (the caps node `CAPS_NODE#ver`), echoed.
 */
export function buildFeatureDiscoInfo(
  identity: DiscoIdentity,
  features: readonly string[],
  node?: string,
): XmlElement {
  return buildDiscoInfo(identity, features, node);
}
