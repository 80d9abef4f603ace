/**
 * How the agent describes itself to other entities: its disco#info identity and features
 * (XEP-0030), the entity capabilities hash its presence carries (XEP-0115), its name and
 * picture (vCard-temp with the XEP-0153 hash in presence; XEP-0084 avatar and XEP-0292 vCard4
 * published through PEP in client mode).
 *
 * @module
 */
import type { Avatar } from "./avatar.ts";
import type { DiscoIdentity } from "./xep_0030_disco.ts";
import { buildVCardTemp } from "./xep_0054_vcard_temp.ts";
import { buildAvatarPublications } from "./xep_0084_avatar.ts";
import { buildVCardUpdate } from "./xep_0153_vcard_avatar.ts";
import { buildVCard4Publication } from "./xep_0292_vcard4.ts";
import { buildCaps, capsVerification } from "./xep_0115_caps.ts";
import { buildFeatureDiscoInfo, CAPS_NODE, COMPONENT_FEATURES, FEATURES } from "./features.ts";
import type { XmlElement } from "./_xml.ts";

/** Options for {@linkcode AgentProfile}. */
export interface AgentProfileOptions {
  /** The agent's name (`agent.name`). */
  name: string;
  /** Which connection speaks. @default {"client"} */
  mode?: "client" | "component";
  /** The picture (`agent.avatar`). @default {undefined} (none) */
  avatar?: Avatar | undefined;
}

/** The agent's self-description, shared by everything that answers or announces it. */
export class AgentProfile {
  readonly name: string;
  readonly features: readonly string[];
  readonly avatar: Avatar | undefined;
  readonly #bot: DiscoIdentity;
  readonly #ver: string;

  constructor(options: AgentProfileOptions) {
    this.name = options.name;
    this.avatar = options.avatar;
    this.features = options.mode === "component" ? COMPONENT_FEATURES : FEATURES;
    this.#bot = { category: "client", type: "bot", name: options.name };
    this.#ver = capsVerification([this.#bot], this.features);
  }

  /** The caps node of this version of the agent's features, `CAPS_NODE#ver`. */
  get capsNode(): string {
    return `${CAPS_NODE}#${this.#ver}`;
  }

  /**
   * The disco#info answer of the agent (a `client/bot`), or of a component's own domain
   * (`component/generic`: not what presence advertises, so not hashed).
   *
   * @param node The node asked about; only the caps node is answered (else `undefined`).
   */
  discoInfo(
    node: string | undefined,
    options: { domain?: boolean } = {},
  ): XmlElement | undefined {
    if (node !== undefined && node !== this.capsNode) return undefined;
    const identity = options.domain === true
      ? { category: "component", type: "generic", name: this.name }
      : this.#bot;
    return buildFeatureDiscoInfo(identity, this.features, node);
  }

  /** The children every available presence of the agent carries. */
  presenceChildren(): XmlElement[] {
    const caps = buildCaps(CAPS_NODE, this.#ver);
    return this.avatar === undefined ? [caps] : [caps, buildVCardUpdate(this.avatar.sha1)];
  }

  /** The agent's vCard-temp (XEP-0054): its name, and its picture when it has one. */
  vcard(): XmlElement {
    return buildVCardTemp(this.name, this.avatar);
  }

  /**
   * What a client account publishes about itself, as the payloads of `<iq type='set'/>`s to
   * its own account: the vCard-temp and the XEP-0292 vCard4 with its name (`agent.name`: the
   * account is the agent's), and with an avatar the XEP-0084 items and the photo in the vCard.
   */
  publications(): XmlElement[] {
    if (this.avatar === undefined) return [buildVCard4Publication(this.name), this.vcard()];
    // PEP first: a server that turns a vCard's photo into PEP items (ejabberd's mod_avatar)
    // then finds the nodes made open, not its own with presence access.
    return [
      ...buildAvatarPublications(this.avatar),
      buildVCard4Publication(this.name),
      this.vcard(),
    ];
  }
}
