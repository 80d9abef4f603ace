/**
 * The inbox: what the agent has received and not yet handled, on disk. Each incoming message
 * of an allowed sender is written here synchronously, before it waits in its conversation's
 * queue, and marked done once it is handled; a process killed in between finds the message
 * again at the next start and answers it then. With stream management the server is told
 * a message was received only after this write returns, so a message is always either in
 * the server's hands or in the inbox.
 *
 * The file (`inbox.jsonl` in the data directory) is a log of two kinds of lines, a record
 * `{"n":1,"at":"…","event":{…}}` and a mark `{"done":1}`; it is emptied when nothing is
 * pending and it has grown past a few hundred lines. A line torn by a crash is skipped.
 *
 * @module
 */

/** The file operations of the inbox: synchronous where the order of events depends on it. */
export interface InboxFile {
  /**
   * Appends all of `data` before returning (to the page cache; to the device too when the
   * file was opened with `fsync`).
   * @throws {Error} When it cannot be written (disk full, permissions).
   */
  appendSync(data: Uint8Array): void;
  /** Empties the file. */
  truncateSync(): void;
  /** Lets go of what is held open (at shutdown); an append after it opens the file again. */
  close(): void;
  /** The whole file; `null` when it does not exist. */
  read(): Promise<string | null>;
}

/** An event recorded and not yet handled. */
export interface InboxRecord<T> {
  /** Its number, to mark it done. */
  n: number;
  /** When it was received. */
  at: string;
  event: T;
}

/** Options for {@linkcode Inbox}. */
export interface InboxOptions {
  /**
   * How many lines the file may hold before it is emptied (when nothing is pending).
   * @default {500}
   */
  compactAfterLines?: number;
}

/**
 * Records events durably before they are handled.
 *
 * @example
 * ```ts
 * const inbox = new Inbox<MessageEvent>(file);
 * for (const { event } of await inbox.open()) agent.handle(event); // left by the last run
 * const n = inbox.record(event, new Date());
 * // … handle it …
 * inbox.done(n);
 * ```
 */
export class Inbox<T> {
  #file: InboxFile;
  #compactAfter: number;
  #next = 1;
  #pending = new Set<number>();
  #lines = 0;
  #opened = false;
  #encoder = new TextEncoder();

  constructor(file: InboxFile, options: InboxOptions = {}) {
    this.#file = file;
    this.#compactAfter = options.compactAfterLines ?? 500;
  }

  /** How many recorded events are not done. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Reads what the last run recorded and did not finish, oldest first. Those records stay
   * pending (mark each done once handled); numbering goes on after them.
   */
  async open(): Promise<InboxRecord<T>[]> {
    if (this.#opened) throw new Error("The inbox is already open");
    this.#opened = true;
    const text = await this.#file.read() ?? "";
    const records = new Map<number, InboxRecord<T>>();
    let highest = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      this.#lines++;
      let parsed: { n?: unknown; at?: unknown; event?: unknown; done?: unknown } | null;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // A line torn by a crash.
      }
      if (typeof parsed !== "object" || parsed === null) continue; // An edited line: `null`.
      // Numbers are the inbox's own counting: an edited `1e400` would make every later
      // record's number `null` in the file, and those records be lost at the next start.
      if (isRecordNumber(parsed.done)) {
        records.delete(parsed.done);
      } else if (isRecordNumber(parsed.n) && parsed.event !== undefined) {
        records.set(parsed.n, {
          n: parsed.n,
          at: typeof parsed.at === "string" ? parsed.at : "",
          event: parsed.event as T,
        });
        highest = Math.max(highest, parsed.n);
      }
    }
    this.#next = highest + 1;
    const left = [...records.values()].sort((a, b) => a.n - b.n);
    for (const record of left) this.#pending.add(record.n);
    return left;
  }

  /**
   * Writes an event down before it is handled.
   *
   * @returns Its number, for {@linkcode done}.
   * @throws {Error} When it cannot be written: the caller goes on without the guarantee.
   */
  record(event: T, at: Date): number {
    const n = this.#next++;
    this.#append({ n, at: at.toISOString(), event });
    this.#pending.add(n);
    return n;
  }

  /** Marks an event handled; the file is emptied once it is long and nothing is pending. */
  done(n: number): void {
    if (!this.#pending.delete(n)) return;
    if (this.#pending.size === 0 && this.#lines + 1 >= this.#compactAfter) {
      this.#file.truncateSync();
      this.#lines = 0;
      return;
    }
    this.#append({ done: n });
  }

  /** Closes the file at shutdown, once nothing more is recorded. */
  close(): void {
    this.#file.close();
  }

  #append(value: unknown): void {
    this.#file.appendSync(this.#encoder.encode(`${JSON.stringify(value)}\n`));
    this.#lines++;
  }
}

function isRecordNumber(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}
