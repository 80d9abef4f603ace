/**
 * The rooms the agent joined on invitation, remembered across restarts in `rooms.json` in
 * the data directory.
 *
 * @module
 */
import { type BookStorage, JsonBook } from "./json_book.ts";

/** A room the agent was invited to. */
export interface BookedRoom {
  jid: string;
  nick: string;
  /** Who invited the agent. */
  inviter: string;
  password?: string;
  /** When (ISO 8601). */
  joined: string;
}

/**
 * The invited rooms, keyed by room JID, persisted on every change.
 *
 * @example
 * ```ts
 * const book = new RoomBook(storage);
 * await book.put({ jid: "dev@conference.example.org", nick: "bot", inviter: "alice@example.org", joined: new Date().toISOString() });
 * ```
 */
export class RoomBook extends JsonBook<BookedRoom> {
  /** @param storage Where the list is kept (`rooms.json`). */
  constructor(storage: BookStorage) {
    super(storage, { field: "rooms", key: (room) => room.jid, accept: isBookedRoom });
  }
}

function isBookedRoom(value: unknown): value is BookedRoom {
  const room = value as Partial<BookedRoom> | null;
  return typeof room?.jid === "string" && typeof room.nick === "string";
}
