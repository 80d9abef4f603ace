/**
 * Which domains are multi-user chat services: asked once per domain through disco#info
 * (XEP-0030; a MUC service has identity `conference/text` and the MUC feature, XEP-0045 §6.1)
 * and remembered. An invitation claims to come from, or to lead to, a room: the claim holds
 * only when the room's domain answers as a MUC service.
 *
 * @module
 */
import { buildDiscoInfoQuery, parseDiscoInfo } from "./xep_0030_disco.ts";
import { NS_MUC } from "./xep_0045_muc.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** Sends an IQ request and resolves with the result; rejects on an error reply or a timeout. */
export type IqRequest = (iq: XmlElement, timeoutMs: number) => Promise<XmlElement>;

/** The outcome of {@linkcode MucServices.check}. */
export type ServiceVerdict = { muc: true } | { muc: false; reason: string };

/** Options for {@linkcode MucServices}. */
export interface MucServicesOptions {
  request: IqRequest;
  /** The address the query is sent from (component mode); absent in client mode. */
  from?: string | undefined;
  /** How long to wait for an answer. @default {10000} */
  timeoutMs?: number;
  /**
   * How long an unanswered or failed query is remembered before the domain is asked again
   * (a definite answer is remembered for the whole run). @default {60000}
   */
  retryAfterMs?: number;
  /** How many domains are remembered; the oldest are forgotten first. @default {1000} */
  maxDomains?: number;
  /** The clock. @default {Date.now} */
  now?: () => number;
}

interface Entry {
  verdict: Promise<ServiceVerdict>;
  /** When the verdict stops holding (`Infinity` for a definite answer). */
  until: number;
}

/**
 * Tells whether a domain is a MUC service, asking it once.
 *
 * @example
 * ```ts
 * const services = new MucServices({ request });
 * const verdict = await services.check("conference.example.org");
 * if (!verdict.muc) console.log(verdict.reason);
 * ```
 */
export class MucServices {
  #options: MucServicesOptions;
  #now: () => number;
  #known = new Map<string, Entry>();

  constructor(options: MucServicesOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Whether `domain` answers disco#info as a MUC service. Concurrent checks of one domain
   * share one query; the answer is kept (a failure only for `retryAfterMs`).
   *
   * @param domain A normalised domain, e.g. `conference.example.org`.
   */
  check(domain: string): Promise<ServiceVerdict> {
    const known = this.#known.get(domain);
    if (known !== undefined && known.until > this.#now()) return known.verdict;
    this.#known.delete(domain);
    const asked = this.#ask(domain);
    const entry: Entry = { verdict: asked.then(({ verdict }) => verdict), until: Infinity };
    asked.then(({ definite }) => {
      // A domain that could not be asked (no answer, an error reply) is asked again later.
      if (!definite) entry.until = this.#now() + (this.#options.retryAfterMs ?? 60_000);
    });
    this.#known.set(domain, entry);
    for (const oldest of this.#known.keys()) {
      if (this.#known.size <= (this.#options.maxDomains ?? 1000)) break;
      this.#known.delete(oldest);
    }
    return entry.verdict;
  }

  async #ask(domain: string): Promise<{ verdict: ServiceVerdict; definite: boolean }> {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const iq = xml(
      "iq",
      { type: "get", to: domain, from: this.#options.from, id: crypto.randomUUID() },
      buildDiscoInfoQuery(),
    );
    let result: XmlElement;
    try {
      result = await this.#options.request(iq, timeoutMs);
    } catch (error) {
      const condition = (error as { condition?: unknown } | null)?.condition;
      const why = error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${timeoutMs / 1000} s`
        : typeof condition === "string"
        ? `error "${condition}"`
        : String(error);
      const reason =
        `${domain} cannot be checked as a multi-user chat service (disco#info: ${why})`;
      return { verdict: { muc: false, reason }, definite: false };
    }
    // Replies are matched by id only: a reply must also come from whom was asked.
    if ((result.attrs.from ?? "").toLowerCase() !== domain) {
      const reason = `the disco#info answer about ${domain} came from ${result.attrs.from}`;
      return { verdict: { muc: false, reason }, definite: false };
    }
    const info = parseDiscoInfo(result);
    const conference = info.identities.some((identity) =>
      identity.category === "conference" && identity.type === "text"
    );
    if (conference && info.features.includes(NS_MUC)) {
      return { verdict: { muc: true }, definite: true };
    }
    const identities = info.identities.map((i) => `${i.category}/${i.type}`).join(", ");
    const reason = `${domain} is not a multi-user chat service (disco#info identity: ${
      identities || "none"
    })`;
    return { verdict: { muc: false, reason }, definite: true };
  }
}
