/**
 * Turns a JID into the name of its conversation folder, refusing anything that could
 * leave the data directory. Validation happens on the string alone, before any
 * filesystem call, so a hostile JID never reaches the disk.
 *
 * Follows the shape rules of RFC 7622 (XMPP address format) loosely: a bare JID is
 * `localpart@domainpart` or a domain alone; resources are refused because a folder is
 * one conversation, whatever the client.
 *
 * @module
 */

import { dirname, join, normalize } from "node:path";

/** Longest JID RFC 7622 allows for each part, in UTF-8 bytes. */
const MAX_JID_BYTES = 1023;
/** Longest file name ext4, XFS, APFS and NTFS accept, in UTF-8 bytes. */
const MAX_FOLDER_BYTES = 255;

// Controls, format characters (zero-width, bidi overrides), separators and whitespace:
// none belongs in an address and several make a folder name lie about itself.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;
// RFC 7622 §3.3.1 forbids these in a localpart; "/" and "\\" are path separators too.
const LOCAL_FORBIDDEN = /["&'/:<>@\\]/;
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{N}_-]+$/u;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

const encoder = new TextEncoder();

/**
 * What the data directory holds beside the conversation folders: the global prompt parts,
 * the invited rooms and the component's contacts (and their temporary files while they are
 * rewritten), the inbox of messages not yet handled, the tool audit log, the skills' state,
 * the search indexes and the shared memory folder. A domain-only JID with one of these names
 * gets no folder.
 */
const RESERVED_NAMES = new Set([
  "identity.md",
  "personality.md",
  "instructions.md",
  "rooms.json",
  "rooms.json.tmp",
  "contacts.json",
  "contacts.json.tmp",
  "inbox.jsonl",
  "audit",
  "skills",
  "search",
  "shared",
]);

function invalid(jid: string, why: string): TypeError {
  return new TypeError(`Invalid JID ${JSON.stringify(jid)}: ${why}`);
}

function checkDomain(jid: string, domain: string): void {
  if (domain === "") throw invalid(jid, "the domain is missing");
  if (IPV6_LITERAL.test(domain)) return;
  for (const label of domain.split(".")) {
    if (label === "") throw invalid(jid, "the domain has an empty label");
    if (!DOMAIN_LABEL.test(label)) {
      throw invalid(jid, `the domain label ${JSON.stringify(label)} has a forbidden character`);
    }
  }
}

/**
 * Normalises a bare JID (NFC, lower case, no trailing dot on the domain) and checks it.
 *
 * @param jid A bare JID such as `Alice@Example.org` or a domain such as `example.org`.
 * @returns The normalised bare JID, e.g. `alice@example.org`.
 * @throws {TypeError} If the JID is empty, has a resource, a path separator, `.` or `..`,
 * a control, format or whitespace character, a leading dot, an invalid or missing domain,
 * more than one `@`, or is longer than 1023 bytes (or 255 bytes, the longest folder name).
 * @example
 * ```ts
 * normaliseJid("Alice@Example.ORG"); // "alice@example.org"
 * normaliseJid("../etc@x"); // throws TypeError
 * ```
 */
export function normaliseJid(jid: string): string {
  if (typeof jid !== "string") throw new TypeError(`Invalid JID: expected a string`);
  if (jid === "") throw invalid(jid, "it is empty");
  if (encoder.encode(jid).length > MAX_JID_BYTES) {
    throw invalid(jid.slice(0, 40) + "…", `it is longer than ${MAX_JID_BYTES} bytes`);
  }
  if (INVISIBLE.test(jid)) {
    throw invalid(jid, "it contains a control, format or whitespace character");
  }
  if (jid.includes("/")) throw invalid(jid, `a bare JID has no "/" (resource or path)`);
  if (jid.includes("\\")) throw invalid(jid, `it contains "\\"`);
  if (jid === "." || jid === "..") throw invalid(jid, "it is a relative path");
  if (jid.startsWith(".")) throw invalid(jid, "it starts with a dot");

  let bare = jid.normalize("NFC").toLowerCase();
  if (bare.endsWith(".") && !bare.endsWith("..")) bare = bare.slice(0, -1); // RFC 7622 §3.2
  const at = bare.indexOf("@");
  if (at !== bare.lastIndexOf("@")) throw invalid(jid, `it has more than one "@"`);
  if (at === 0) throw invalid(jid, "the localpart before the @ is empty");
  if (at > 0 && LOCAL_FORBIDDEN.test(bare.slice(0, at))) {
    throw invalid(jid, `the localpart has a character RFC 7622 forbids`);
  }
  checkDomain(jid, at > 0 ? bare.slice(at + 1) : bare);
  if (encoder.encode(bare).length > MAX_FOLDER_BYTES) {
    throw invalid(jid, `it is longer than ${MAX_FOLDER_BYTES} bytes, too long for a folder name`);
  }
  return bare;
}

/**
 * The folder of one conversation: `{root}/{normalised bare JID}`, always a direct child
 * of `root`. Pure: touches no file.
 *
 * @param root The data directory (trusted, from configuration).
 * @param jid A bare JID or a domain; see {@linkcode normaliseJid}.
 * @returns The folder path.
 * @throws {TypeError} If the JID is invalid (see {@linkcode normaliseJid}), or is a domain
 * named like one of the data directory's own files (`rooms.json`, `skills`, …).
 * @example
 * ```ts
 * conversationDir("/data/memory", "Bob@Example.org"); // "/data/memory/bob@example.org"
 * ```
 */
export function conversationDir(root: string, jid: string): string {
  const name = normaliseJid(jid);
  if (RESERVED_NAMES.has(name)) {
    throw invalid(jid, "it names a file or folder the data directory keeps for itself");
  }
  const dir = join(root, name);
  // Defence in depth: the checks above should make this impossible.
  if (dirname(dir) !== normalize(root).replace(/(.)\/$/, "$1")) {
    throw invalid(jid, "it would leave the data directory");
  }
  return dir;
}
