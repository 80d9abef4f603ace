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
import { normaliseBareJid } from "../jid/mod.ts";

/**
 * What the data directory holds beside the conversation folders: the global prompt parts,
 * the invited rooms and the component's contacts (and their temporary files while they are
 * rewritten), the inbox of messages not yet handled, the scheduled tasks (and their temporary and
 * set-aside files), the webhook delivery ledger, the tool audit log, the skills' state, the
 * search indexes, the shared memory folder, the personas and the usage ledger. A domain-only JID
 * with one of these names gets no folder.
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
  "webhooks",
  "schedules.json",
  "schedules.json.tmp",
  "schedules.json.damaged",
  "audit",
  "skills",
  "search",
  "shared",
  "personas",
  "usage",
]);

function invalid(jid: string, why: string): TypeError {
  return new TypeError(`Invalid JID ${JSON.stringify(jid)}: ${why}`);
}

/**
 * Normalises a bare JID (NFC, lower case, no trailing dot on the domain) and checks it: the
 * JID module's rules (src/jid), which the config and the XMPP layer apply too, so an address
 * they accept always has a folder.
 *
 * @param jid A bare JID such as `Alice@Example.org` or a domain such as `example.org`.
 * @returns The normalised bare JID, e.g. `alice@example.org`.
 * @throws {TypeError} If it is not a valid bare JID (see `normaliseBareJid()`): a resource, a
 * path separator, `.` or `..`, a control, format or whitespace character, a leading dot, an
 * invalid or missing domain, more than one `@`, longer than 255 bytes.
 * @example
 * ```ts
 * normaliseJid("Alice@Example.ORG"); // "alice@example.org"
 * normaliseJid("../etc@x"); // throws TypeError
 * ```
 */
export function normaliseJid(jid: string): string {
  return normaliseBareJid(jid);
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
