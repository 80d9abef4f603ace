/**
 * What a valid JID is, and its one normal form (RFC 7622, simplified): the single judge for
 * the config, the XMPP layer and the data directory, so that an address accepted in one
 * place is never refused in another.
 *
 * Normal form: Unicode NFC; local part and domain lower-cased; a trailing dot of the domain
 * dropped (RFC 7622 §3.2); the resource kept as it is (NFC). Full PRECIS profiles are out of
 * scope; what matters is that two spellings of one account compare equal, and that nothing
 * that cannot be an address — or cannot name a folder — gets through.
 *
 * @module
 */

/** A parsed, normalised JID. */
export interface Jid {
  /** The local part; empty for a domain JID. */
  local: string;
  /** The domain. */
  domain: string;
  /** The resource; empty when absent. */
  resource: string;
  /** `local@domain` or `domain`. */
  bare: string;
}

/** Longest bare JID accepted, in UTF-8 bytes: it must also fit in a folder name. */
export const MAX_BARE_JID_BYTES = 255;
/** Longest resource accepted, in UTF-8 bytes (RFC 7622 §3.4). */
const MAX_RESOURCE_BYTES = 1023;

// Controls, format characters (zero-width, bidi overrides), separators and whitespace: none
// belongs in a local part or a domain, and several make an address look like another.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;
// RFC 7622 §3.3.1 forbids these in a local part; "\" is refused too (a path separator).
const LOCAL_FORBIDDEN = /["&'/:<>@\\]/;
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{N}_-]+$/u;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;
// A resource may hold spaces ("Gajim laptop") but no control character.
const RESOURCE_FORBIDDEN = /[\p{Cc}]/u;

const encoder = new TextEncoder();

/**
 * Parses and normalises a JID, full or bare.
 *
 * @param text A JID such as `Alice@Example.org/phone`.
 * @returns The parsed JID in normal form.
 * @throws {TypeError} When the text is not a valid JID; the message says why.
 *
 * @example
 * ```ts
 * parseJid("Alice@Example.org./phone").bare; // "alice@example.org"
 * ```
 */
export function parseJid(text: string): Jid {
  if (typeof text !== "string") throw new TypeError("Invalid JID: expected a string");
  const slash = text.indexOf("/");
  const bareText = slash === -1 ? text : text.slice(0, slash);
  const resource = slash === -1 ? "" : text.slice(slash + 1).normalize("NFC");
  const bare = normaliseBareJid(bareText, text);
  if (slash !== -1) {
    if (resource === "") throw invalid(text, "the resource after the / is empty");
    if (RESOURCE_FORBIDDEN.test(resource)) {
      throw invalid(text, "the resource has a control character");
    }
    if (encoder.encode(resource).length > MAX_RESOURCE_BYTES) {
      throw invalid(text, `the resource is longer than ${MAX_RESOURCE_BYTES} bytes`);
    }
  }
  const at = bare.indexOf("@");
  return {
    local: at === -1 ? "" : bare.slice(0, at),
    domain: at === -1 ? bare : bare.slice(at + 1),
    resource,
    bare,
  };
}

/**
 * Normalises a bare JID (or a domain) and checks it.
 *
 * @param text `alice@example.org` or `example.org`, without a resource.
 * @param quoted What to name in an error message. @default {text}
 * @returns The normal form, e.g. `alice@example.org`.
 * @throws {TypeError} When it is empty, has a resource, an invisible, control or whitespace
 * character, a character RFC 7622 forbids in a local part, more than one `@`, an empty local
 * part, a missing or malformed domain, or is longer than {@linkcode MAX_BARE_JID_BYTES}.
 */
export function normaliseBareJid(text: string, quoted: string = text): string {
  const known = normalForms.get(text);
  if (known !== undefined) return known;
  const bare = checkedBareJid(text, quoted);
  // The same few addresses come with every stanza and every file path: checked once each.
  if (normalForms.size >= MAX_REMEMBERED) normalForms.clear();
  normalForms.set(text, bare);
  return bare;
}

/** The normal forms of valid bare JIDs seen lately (an invalid one is checked every time). */
const normalForms = new Map<string, string>();
const MAX_REMEMBERED = 4096;

function checkedBareJid(text: string, quoted: string): string {
  if (typeof text !== "string") throw new TypeError("Invalid JID: expected a string");
  if (text === "") throw invalid(quoted, "it is empty");
  if (text.includes("/")) throw invalid(quoted, `a bare JID has no "/" (resource or path)`);
  if (text.includes("\\")) throw invalid(quoted, `it contains "\\"`);
  if (text === "." || text === "..") throw invalid(quoted, "it is a relative path");
  if (text.startsWith(".")) throw invalid(quoted, "it starts with a dot");
  if (INVISIBLE.test(text)) {
    throw invalid(quoted, "it contains a control, format or whitespace character");
  }
  let bare = text.normalize("NFC").toLowerCase();
  if (bare.endsWith(".") && !bare.endsWith("..")) bare = bare.slice(0, -1);
  const at = bare.indexOf("@");
  if (at !== bare.lastIndexOf("@")) throw invalid(quoted, `it has more than one "@"`);
  if (at === 0) throw invalid(quoted, "the local part before the @ is empty");
  if (at > 0 && LOCAL_FORBIDDEN.test(bare.slice(0, at))) {
    throw invalid(quoted, "the local part has a character RFC 7622 forbids");
  }
  checkDomain(quoted, at > 0 ? bare.slice(at + 1) : bare);
  if (encoder.encode(bare).length > MAX_BARE_JID_BYTES) {
    throw invalid(quoted, `it is longer than ${MAX_BARE_JID_BYTES} bytes`);
  }
  return bare;
}

/** The normal bare JID of any JID, or `undefined` when it is not valid. */
export function bareJid(text: string): string | undefined {
  try {
    return parseJid(text).bare;
  } catch {
    return undefined;
  }
}

/** Whether `text` is a valid bare JID with a local part (`local@domain`, no resource). */
export function isBareJid(text: string): boolean {
  try {
    return !text.includes("/") && normaliseBareJid(text).includes("@");
  } catch {
    return false;
  }
}

/** Whether `text` is a valid domain (`example.org`, `localhost`, an IP literal). */
export function isDomain(text: string): boolean {
  try {
    return !normaliseBareJid(text).includes("@");
  } catch {
    return false;
  }
}

function checkDomain(quoted: string, domain: string): void {
  if (domain === "") throw invalid(quoted, "the domain is missing");
  if (IPV6_LITERAL.test(domain)) return;
  for (const label of domain.split(".")) {
    if (label === "") throw invalid(quoted, "the domain has an empty label");
    if (!DOMAIN_LABEL.test(label)) {
      throw invalid(quoted, `the domain label ${JSON.stringify(label)} has a forbidden character`);
    }
  }
}

function invalid(text: string, why: string): TypeError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new TypeError(`Invalid JID ${JSON.stringify(shown)}: ${why}`);
}
