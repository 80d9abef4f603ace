/**
 * The rooms the agent joined on invitation, remembered across restarts in a small JSON file
 * (`rooms.json` in the data directory).
 *
 * @module
 */

/** Reads and writes the book's file; `undefined` when it does not exist yet. */
export interface RoomBookStorage {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

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
 * The invited rooms, persisted on every change.
 *
 * @example
 * ```ts
 * const book = new RoomBook(storage);
 * await book.add({ jid: "dev@conference.example.org", nick: "bot", inviter: "alice@example.org", joined: new Date().toISOString() });
 * ```
 */
export class RoomBook {
  #storage: RoomBookStorage;
  #rooms: Map<string, BookedRoom> | undefined;

  constructor(storage: RoomBookStorage) {
    this.#storage = storage;
  }

  /** Every booked room. A damaged file counts as empty (and is rewritten on the next add). */
  async list(): Promise<BookedRoom[]> {
    return [...(await this.#load()).values()];
  }

  /** Whether a room is booked. */
  async has(jid: string): Promise<boolean> {
    return (await this.#load()).has(jid);
  }

  /** Books a room (replacing an earlier entry for it) and saves. */
  async add(room: BookedRoom): Promise<void> {
    const rooms = await this.#load();
    rooms.set(room.jid, room);
    await this.#storage.write(JSON.stringify({ rooms: [...rooms.values()] }, null, 2) + "\n");
  }

  async #load(): Promise<Map<string, BookedRoom>> {
    if (this.#rooms !== undefined) return this.#rooms;
    const rooms = new Map<string, BookedRoom>();
    try {
      const text = await this.#storage.read();
      const parsed = text === undefined ? undefined : JSON.parse(text);
      for (const room of parsed?.rooms ?? []) {
        if (typeof room?.jid === "string" && typeof room?.nick === "string") {
          rooms.set(room.jid, room as BookedRoom);
        }
      }
    } catch {
      // A damaged file must not stop the agent: it starts with no invited rooms.
    }
    this.#rooms = rooms;
    return rooms;
  }
}

/** A {@linkcode RoomBookStorage} kept in memory (tests). */
export function memoryRoomBookStorage(
  initial?: string,
): RoomBookStorage & { text: string | undefined } {
  const storage = {
    text: initial,
    read: () => Promise.resolve(storage.text),
    write: (text: string) => {
      storage.text = text;
      return Promise.resolve();
    },
  };
  return storage;
}
