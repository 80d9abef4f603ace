/**
 * The last entries of one session kept in memory, so the recent history a turn needs
 * costs no read. An entry just appended is kept as its JSON line until first read, then as
 * the parsed entry only; what comes back is exactly what parsing the file would give, deeply
 * frozen, so that no caller can change what the next one sees.
 *
 * @module
 */

import {
  frozenEntry,
  type HistoryEntry,
  isMessageEntry,
  isSessionHeader,
  parseLine,
} from "./entries.ts";
import { linesBackward } from "./_lines.ts";
import type { MemoryFs } from "./memory_fs.ts";

/**
 * One kept entry: its line until it is first read, then the parsed, frozen entry; with the
 * ids it carries (`msg_id`, `stanza_id`), which {@linkcode SessionTail.find} can look up.
 */
type TailLine = ({ line: string } | { entry: HistoryEntry }) & {
  message: boolean;
  ids: readonly string[];
};

/** The ids an entry carries. */
function idsOf(entry: HistoryEntry): string[] {
  const { msg_id: id, stanza_id: stanzaId } = entry as { msg_id?: unknown; stanza_id?: unknown };
  return [id, stanzaId].filter((value): value is string => typeof value === "string");
}

/** The last entries of a session (the header left out), oldest first. */
export class SessionTail {
  #lines: TailLine[];
  #complete: boolean;
  #capacity: number;
  /** How many kept entries carry each id. */
  #ids = new Map<string, number>();

  /**
   * @param capacity The most entries kept.
   * @param lines The last entries, oldest first.
   * @param complete Whether `lines` is every entry of the session.
   */
  constructor(capacity: number, lines: TailLine[] = [], complete = true) {
    this.#capacity = capacity;
    this.#lines = lines;
    this.#complete = complete;
    for (const line of lines) this.#count(line.ids, 1);
  }

  /** Whether the session has at least one entry. */
  get hasEntries(): boolean {
    return this.#lines.length > 0;
  }

  /** Records an entry just appended to the file: `line` is its JSON, without the newline. */
  push(line: string, entry: HistoryEntry): void {
    const kept = { line, message: isMessageEntry(entry), ids: idsOf(entry) };
    this.#lines.push(kept);
    this.#count(kept.ids, 1);
    if (this.#lines.length > this.#capacity) {
      const gone = this.#lines.splice(0, this.#lines.length - this.#capacity);
      for (const line of gone) this.#count(line.ids, -1);
      this.#complete = false;
    }
  }

  /**
   * Same answer as `readRecent` on the file, or `null` when the kept entries do not
   * reach back far enough to tell.
   */
  recent(n: number, include: "messages" | "all"): HistoryEntry[] | null {
    if (n === 0) return [];
    const picked: number[] = [];
    let messages = 0;
    let i = this.#lines.length - 1;
    for (; i >= 0; i--) {
      const { message } = this.#lines[i] as TailLine;
      if (message || include === "all") picked.push(i);
      if (message && ++messages === n) break;
    }
    if (i < 0 && !this.#complete) return null;
    return picked.reverse().map((index) => this.#entry(index));
  }

  /**
   * The newest kept entry that satisfies `match`.
   *
   * @param ids When given, `match` holds only for an entry carrying one of these ids: a tail
   * that holds none of them is not searched (a message seen for the first time costs a lookup).
   */
  find(
    match: (entry: HistoryEntry) => boolean,
    ids?: readonly string[],
  ): HistoryEntry | undefined {
    if (ids !== undefined && !ids.some((id) => this.#ids.has(id))) return undefined;
    for (let i = this.#lines.length - 1; i >= 0; i--) {
      const entry = this.#entry(i);
      if (match(entry)) return entry;
    }
    return undefined;
  }

  /** The parsed entry at `index`, parsed and frozen on first use. */
  #entry(index: number): HistoryEntry {
    const kept = this.#lines[index] as TailLine;
    if ("entry" in kept) return kept.entry;
    const entry = frozenEntry(parseLine(kept.line) as HistoryEntry);
    this.#lines[index] = { entry, message: kept.message, ids: kept.ids };
    return entry;
  }

  #count(ids: readonly string[], by: 1 | -1): void {
    for (const id of ids) {
      const left = (this.#ids.get(id) ?? 0) + by;
      if (left > 0) this.#ids.set(id, left);
      else this.#ids.delete(id);
    }
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
      lines.push({ entry: frozenEntry(entry), message: isMessageEntry(entry), ids: idsOf(entry) });
    }
  } finally {
    reader.close();
  }
  return new SessionTail(capacity, lines.reverse(), complete);
}
