/**
 * The last entries of one session kept in memory, so the recent history a turn needs
 * costs no read. Entries are kept as their JSON lines and parsed once, when first read;
 * what comes back is exactly what parsing the file would give, deeply frozen, so that no
 * caller can change what the next one sees.
 *
 * @module
 */

import { type HistoryEntry, isMessageEntry, isSessionHeader, parseLine } from "./entries.ts";
import { linesBackward } from "./_lines.ts";
import type { MemoryFs } from "./memory_fs.ts";

interface TailLine {
  line: string;
  message: boolean;
  /** The parsed line, once read. */
  entry?: HistoryEntry;
}

/** The last entries of a session (the header left out), oldest first. */
export class SessionTail {
  #lines: TailLine[];
  #complete: boolean;
  #capacity: number;

  /**
   * @param capacity The most entries kept.
   * @param lines The last entries, oldest first.
   * @param complete Whether `lines` is every entry of the session.
   */
  constructor(capacity: number, lines: TailLine[] = [], complete = true) {
    this.#capacity = capacity;
    this.#lines = lines;
    this.#complete = complete;
  }

  /** Whether the session has at least one entry. */
  get hasEntries(): boolean {
    return this.#lines.length > 0;
  }

  /** Records an entry just appended to the file, as its line without the newline. */
  push(line: string, message: boolean): void {
    this.#lines.push({ line, message });
    if (this.#lines.length > this.#capacity) {
      this.#lines.splice(0, this.#lines.length - this.#capacity);
      this.#complete = false;
    }
  }

  /**
   * Same answer as `readRecent` on the file, or `null` when the kept entries do not
   * reach back far enough to tell.
   */
  recent(n: number, include: "messages" | "all"): HistoryEntry[] | null {
    if (n === 0) return [];
    const picked: TailLine[] = [];
    let messages = 0;
    let i = this.#lines.length - 1;
    for (; i >= 0; i--) {
      const kept = this.#lines[i] as TailLine;
      if (kept.message || include === "all") picked.push(kept);
      if (kept.message && ++messages === n) break;
    }
    if (i < 0 && !this.#complete) return null;
    return picked.reverse().map((kept) =>
      kept.entry ??= deepFreeze(parseLine(kept.line) as HistoryEntry)
    );
  }
}

/** Reads the last `capacity` entries of a history file (none if it is missing). */
export async function loadSessionTail(
  fs: MemoryFs,
  path: string,
  capacity: number,
): Promise<SessionTail> {
  const reader = await fs.openRead(path);
  if (reader === null) return new SessionTail(capacity);
  const lines: TailLine[] = [];
  let complete = true;
  try {
    for await (const line of linesBackward(reader)) {
      const entry = parseLine(line);
      if (entry === null || isSessionHeader(entry)) continue;
      if (lines.length === capacity) {
        complete = false;
        break;
      }
      lines.push({ line, message: isMessageEntry(entry) });
    }
  } finally {
    reader.close();
  }
  return new SessionTail(capacity, lines.reverse(), complete);
}

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
