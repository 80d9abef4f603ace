/**
 * A small list of records the agent keeps across restarts in a JSON file of the data
 * directory (`{"<field>": [...]}`), read once and rewritten on every change.
 *
 * @module
 */

/** Reads and writes a book's file; `read` gives `undefined` when it does not exist yet. */
export interface BookStorage {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

/** What a {@linkcode JsonBook} holds and how it tells records apart. */
export interface JsonBookOptions<T> {
  /** The file's one field, holding the list. */
  field: string;
  /** The identity of a record: adding one with the same key replaces it. */
  key: (record: T) => string;
  /** Whether a value read from the file is a record (others are dropped). */
  accept: (value: unknown) => value is T;
}

/**
 * Records persisted on every change. Changes are written one after another, in order.
 *
 * @example
 * ```ts
 * const book = new JsonBook(storage, { field: "rooms", key: (r) => r.jid, accept: isRoom });
 * await book.put({ jid: "dev@conference.example.org", nick: "bot" });
 * ```
 */
export class JsonBook<T> {
  #storage: BookStorage;
  #options: JsonBookOptions<T>;
  #records: Map<string, T> | undefined;
  #saved: Promise<void> = Promise.resolve();

  /**
   * @param storage Where the list is kept.
   * @param options The file's field, the records' key and what counts as a record.
   */
  constructor(storage: BookStorage, options: JsonBookOptions<T>) {
    this.#storage = storage;
    this.#options = options;
  }

  /** Every record. A damaged file counts as empty (and is rewritten on the next change). */
  async list(): Promise<T[]> {
    return [...(await this.#load()).values()];
  }

  /** Whether a record with this key is kept. */
  async has(key: string): Promise<boolean> {
    return (await this.#load()).has(key);
  }

  /**
   * Keeps a record (replacing the one with its key) and saves.
   *
   * @throws When the file cannot be written (the record stays kept in memory).
   */
  async put(record: T): Promise<void> {
    (await this.#load()).set(this.#options.key(record), record);
    await this.#save();
  }

  /**
   * Drops the record with this key, if kept, and saves.
   *
   * @throws When the file cannot be written (the record stays dropped in memory).
   */
  async delete(key: string): Promise<void> {
    if ((await this.#load()).delete(key)) await this.#save();
  }

  #save(): Promise<void> {
    const records = this.#records ?? new Map<string, T>();
    const text = JSON.stringify({ [this.#options.field]: [...records.values()] }, null, 2) + "\n";
    const saved = this.#saved.catch(() => {}).then(() => this.#storage.write(text));
    this.#saved = saved;
    return saved;
  }

  async #load(): Promise<Map<string, T>> {
    if (this.#records !== undefined) return this.#records;
    const records = new Map<string, T>();
    try {
      const text = await this.#storage.read();
      const parsed = text === undefined ? undefined : JSON.parse(text);
      const list = parsed?.[this.#options.field];
      for (const value of Array.isArray(list) ? list : []) {
        if (this.#options.accept(value)) records.set(this.#options.key(value), value);
      }
    } catch {
      // A damaged file must not stop the agent: it starts with an empty book.
    }
    // Another call may have loaded it meanwhile: keep the first, which may have changed.
    this.#records ??= records;
    return this.#records;
  }
}

/** A {@linkcode BookStorage} kept in memory (tests). */
export function memoryBookStorage(initial?: string): BookStorage & { text: string | undefined } {
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
