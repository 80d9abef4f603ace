/**
 * In component mode, who subscribed to the agent's presence and at which address, kept
 * across restarts in `contacts.json` in the data directory. A component has no roster on
 * the server: it must tell each contact itself that it is back, and that it leaves.
 *
 * @module
 */
import { type BookStorage, JsonBook } from "./json_book.ts";

/** A contact who may see the agent's presence. */
export interface BookedContact {
  /** The contact's bare JID. */
  jid: string;
  /** The agent's address the contact subscribed to (the domain or `name@domain`). */
  address: string;
  /** When the subscription was approved (ISO 8601). */
  since: string;
}

/**
 * The contacts, keyed by contact and address, persisted on every change.
 *
 * @example
 * ```ts
 * const book = new ContactBook(storage);
 * await book.put({ jid: "alice@example.org", address: "agent.example.org", since: new Date().toISOString() });
 * ```
 */
export class ContactBook extends JsonBook<BookedContact> {
  /** @param storage Where the list is kept (`contacts.json`). */
  constructor(storage: BookStorage) {
    super(storage, { field: "contacts", key: contactKey, accept: isBookedContact });
  }
}

/** The key of a contact at one of the agent's addresses (JIDs compare without case). */
export function contactKey(contact: Pick<BookedContact, "jid" | "address">): string {
  return `${contact.jid} ${contact.address}`.toLowerCase();
}

function isBookedContact(value: unknown): value is BookedContact {
  const contact = value as Partial<BookedContact> | null;
  return typeof contact?.jid === "string" && typeof contact.address === "string";
}
