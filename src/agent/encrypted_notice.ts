/**
 * The answer to an end-to-end encrypted message. The agent cannot read OMEMO, OpenPGP or OTR
 * yet; their body is a fallback notice from the sender's client, which must not reach the LLM
 * as if the person had written it. The person is told instead — without an LLM call, and at
 * most once per interval, so a client that encrypts every message is not answered each time.
 *
 * @module
 */
import type { EncryptionMethod } from "../xmpp/mod.ts";

/** Options of {@linkcode EncryptedNotice}. */
export interface EncryptedNoticeOptions {
  /** The clock. */
  now: () => Date;
  /** The shortest time between two notices to one contact. @default {3_600_000} (one hour) */
  intervalMs?: number;
  /** How many contacts are remembered; the oldest notice is forgotten first. @default {10_000} */
  capacity?: number;
}

const NAMES: Record<EncryptionMethod, string> = {
  omemo: "OMEMO",
  openpgp: "OpenPGP",
  openpgp_legacy: "OpenPGP",
  otr: "OTR",
  other: "end-to-end",
};

/** The display name of an encryption method, e.g. `OMEMO`. */
export function encryptionName(method: EncryptionMethod): string {
  return NAMES[method];
}

/**
 * Decides when a contact is told that encrypted messages cannot be read. Kept in memory: after
 * a restart the first encrypted message is answered again.
 *
 * @example
 * ```ts
 * const notices = new EncryptedNotice({ now: () => new Date() });
 * notices.answer("alice@example.org", "omemo"); // the notice
 * notices.answer("alice@example.org", "omemo"); // undefined: already told this hour
 * ```
 */
export class EncryptedNotice {
  #now: () => Date;
  #interval: number;
  #capacity: number;
  /** Bare JID → when it was last told, oldest first. */
  #told = new Map<string, number>();

  constructor(options: EncryptedNoticeOptions) {
    this.#now = options.now;
    this.#interval = options.intervalMs ?? 3_600_000;
    this.#capacity = options.capacity ?? 10_000;
  }

  /**
   * The notice for an encrypted message from `bare`, or `undefined` when that contact was
   * told less than the interval ago.
   *
   * @param bare The sender's bare JID.
   * @param method How the message was encrypted.
   */
  answer(bare: string, method: EncryptionMethod): string | undefined {
    const now = this.#now().getTime();
    const last = this.#told.get(bare);
    if (last !== undefined && now - last < this.#interval) return undefined;
    this.#told.delete(bare);
    this.#told.set(bare, now);
    if (this.#told.size > this.#capacity) {
      this.#told.delete(this.#told.keys().next().value as string);
    }
    const kind = method === "other" ? "end-to-end encrypted" : `${NAMES[method]}-encrypted`;
    return `I cannot read encrypted messages yet, so I could not see what you wrote (your ` +
      `message was ${kind}). Please turn encryption off for this chat and send it again: ` +
      `plain messages work.`;
  }
}
