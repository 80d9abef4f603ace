/**
 * JID parsing and normalisation (RFC 7622, simplified).
 *
 * The agent compares JIDs after normalising them: the local part and the domain are
 * lower-cased, the resource is kept as it is. Full PRECIS profiles are out of scope; what
 * matters here is that two spellings of one account compare equal and that a JID that
 * cannot be valid is rejected early.
 *
 * @module
 */

/** A parsed JID. */
export interface Jid {
  /** The local part, lower-cased; empty for a domain JID. */
  local: string;
  /** The domain, lower-cased, without a trailing dot. */
  domain: string;
  /** The resource, as given; empty when absent. */
  resource: string;
  /** `local@domain` or `domain`. */
  bare: string;
}

// Control characters are exactly what these patterns exist to reject.
// deno-lint-ignore no-control-regex
const FORBIDDEN_LOCAL = /["&'/:<>@\s\u0000-\u001f\u007f]/u;
// deno-lint-ignore no-control-regex
const FORBIDDEN_DOMAIN = /[\s@/\\\u0000-\u001f\u007f]/u;

/**
 * Parses and normalises a JID.
 *
 * @param text A JID such as `Alice@Example.org/phone`.
 * @returns The parsed JID.
 * @throws {TypeError} When the text is not a valid JID.
 *
 * @example
 * ```ts
 * parseJid("Alice@Example.org/phone").bare; // "alice@example.org"
 * ```
 */
export function parseJid(text: string): Jid {
  const slash = text.indexOf("/");
  const resource = slash === -1 ? "" : text.slice(slash + 1);
  const bareText = slash === -1 ? text : text.slice(0, slash);
  const at = bareText.lastIndexOf("@");
  const local = (at === -1 ? "" : bareText.slice(0, at)).toLowerCase();
  const domain = (at === -1 ? bareText : bareText.slice(at + 1)).toLowerCase().replace(/\.$/, "");
  if (domain === "" || FORBIDDEN_DOMAIN.test(domain) || domain.length > 1023) {
    throw new TypeError(`Invalid JID "${text}": bad domain`);
  }
  if (domain.split(".").some((label) => label === "" || label === "..")) {
    throw new TypeError(`Invalid JID "${text}": bad domain`);
  }
  if (at !== -1 && (local === "" || FORBIDDEN_LOCAL.test(local) || local.length > 1023)) {
    throw new TypeError(`Invalid JID "${text}": bad local part`);
  }
  if (slash !== -1 && resource === "") {
    throw new TypeError(`Invalid JID "${text}": empty resource`);
  }
  return { local, domain, resource, bare: local === "" ? domain : `${local}@${domain}` };
}

/**
 * Returns the normalised bare JID of a JID, or `undefined` when it is not valid.
 *
 * @param text Any JID, full or bare.
 */
export function bareJid(text: string): string | undefined {
  try {
    return parseJid(text).bare;
  } catch {
    return undefined;
  }
}
