/**
 * How the agent describes itself to other entities: its disco#info identity and features
 * (XEP-0030), the entity capabilities hash its presence carries (XEP-0115).
 *
 * @module
 */
import type { DiscoIdentity } from "./xep_0030_disco.ts";
import { buildCaps, capsVerification } from "./xep_0115_caps.ts";
import { buildFeatureDiscoInfo, CAPS_NODE, COMPONENT_FEATURES, FEATURES } from "./features.ts";
import type { XmlElement } from "./_xml.ts";

/** Options for {@linkcode AgentProfile}. */
export interface AgentProfileOptions {
  /** The agent's name (`agent.name`). */
  name: string;
  /** Which connection speaks. @default {"client"} */
  mode?: "client" | "component";
}

/** The agent's self-description, shared by everything that answers or announces it. */
export class AgentProfile {
  readonly name: string;
  readonly features: readonly string[];
  readonly #bot: DiscoIdentity;
  readonly #ver: string;

  constructor(options: AgentProfileOptions) {
    this.name = options.name;
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
    return [buildCaps(CAPS_NODE, this.#ver)];
  }
}
