/**
 * Who may talk to the agent: the sender's domain is checked first, then its bare JID.
 * Closed by default: with no configuration, nobody is allowed.
 *
 * @module
 */

/** The allow lists, already normalised (lower-case bare JIDs and domains). */
export interface PolicyRules {
  /** Allowed bare JIDs, or `"*"` for any JID of an allowed domain. */
  allowedJids: readonly string[];
  /** Allowed domains, or `"*"` for any; empty means only `ownDomain`. */
  allowedDomains: readonly string[];
  /** The agent's own domain. */
  ownDomain: string;
  /**
   * The domain of the XMPP server the agent lives on (a component's parent domain): rooms on
   * it or under it are believed about who their occupants are. @default {ownDomain}
   */
  serverDomain?: string;
}

/** The outcome of a policy check. */
export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether a sender may talk to the agent.
 *
 * @param bare The sender's normalised bare JID.
 * @param rules The allow lists.
 *
 * @example
 * ```ts
 * checkSender("alice@localhost", { allowedJids: ["*"], allowedDomains: [], ownDomain: "localhost" });
 * // { allowed: true }
 * ```
 */
export function checkSender(bare: string, rules: PolicyRules): PolicyDecision {
  const domain = bare.slice(bare.lastIndexOf("@") + 1);
  const domains = rules.allowedDomains.length === 0 ? [rules.ownDomain] : rules.allowedDomains;
  if (!domains.includes("*") && !domains.includes(domain)) {
    return { allowed: false, reason: `domain "${domain}" is not in agent.allowed_domains` };
  }
  if (!rules.allowedJids.includes("*") && !rules.allowedJids.includes(bare)) {
    return { allowed: false, reason: `"${bare}" is not in agent.allowed_jids` };
  }
  return { allowed: true };
}
