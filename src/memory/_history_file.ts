/**
 * Reading and repairing one history file. Callers serialise access per file; these
 * functions only read what they need, from the end where the recent entries are.
 *
 * @module
 */

import { type HistoryEntry, isMessageEntry, isSessionHeader, parseLine } from "./entries.ts";
import { findTornTail, linesBackward, linesForward } from "./_lines.ts";
import type { MemoryFs, MemoryReader } from "./memory_fs.ts";

/** What was done about a write cut short by a crash. */
export interface TornTailRepair {
  /** The history file repaired. */
  path: string;
  /** Bytes after the last newline. */
  bytes: number;
  /**
   * `"completed"`: they were a whole entry missing only its newline, which was added;
   * `"moved"`: they were cut off and appended to `{path}.torn` for inspection.
   */
  action: "completed" | "moved";
}

const NEWLINE = new Uint8Array([0x0a]);

async function withReader<T>(
  fs: MemoryFs,
  path: string,
  use: (reader: MemoryReader) => Promise<T>,
): Promise<T | null> {
  const reader = await fs.openRead(path);
  if (reader === null) return null;
  try {
    return await use(reader);
  } finally {
    reader.close();
  }
}

/**
 * Makes the file end on a line boundary so the next append starts a fresh line.
 * Every complete line is kept.
 */
export async function repairTornTail(fs: MemoryFs, path: string): Promise<TornTailRepair | null> {
  const tail = await withReader(fs, path, (reader) => findTornTail(reader));
  if (!tail) return null;
  const bytes = tail.bytes.length;
  if (parseLine(new TextDecoder().decode(tail.bytes)) !== null) {
    const appender = await fs.openAppend(path);
    try {
      await appender.write(NEWLINE);
    } finally {
      appender.close();
    }
    return { path, bytes, action: "completed" };
  }
  const aside = await fs.openAppend(`${path}.torn`);
  try {
    const note = new Uint8Array(bytes + 1);
    note.set(tail.bytes);
    note[bytes] = 0x0a;
    await aside.write(note);
    await aside.syncData();
  } finally {
    aside.close();
  }
  await fs.truncate(path, tail.offset);
  return { path, bytes, action: "moved" };
}

/**
 * The entries from the `n`-th last message to the end, oldest first: only messages, or
 * every entry in that span. Reads backwards and stops as soon as it has `n` messages.
 */
export async function readRecent(
  fs: MemoryFs,
  path: string,
  n: number,
  include: "messages" | "all",
): Promise<HistoryEntry[]> {
  if (n === 0) return [];
  const found = await withReader(fs, path, async (reader) => {
    const entries: HistoryEntry[] = [];
    let messages = 0;
    for await (const line of linesBackward(reader)) {
      const entry = parseLine(line);
      if (entry === null || isSessionHeader(entry)) continue;
      const isMessage = isMessageEntry(entry);
      if (isMessage || include === "all") entries.push(entry);
      if (isMessage && ++messages === n) break;
    }
    return entries.reverse();
  });
  return found ?? [];
}

/** The `ts` of the last entry that has one, or `null`. */
export async function lastTimestamp(fs: MemoryFs, path: string): Promise<string | null> {
  const ts = await withReader(fs, path, async (reader) => {
    for await (const line of linesBackward(reader)) {
      const entry = parseLine(line);
      if (entry === null || isSessionHeader(entry)) continue;
      if (typeof entry.ts === "string" && !Number.isNaN(Date.parse(entry.ts))) return entry.ts;
    }
    return null;
  });
  return ts ?? null;
}

/** Whether the file holds at least one entry after its header; `null` if it is missing. */
export async function hasEntries(fs: MemoryFs, path: string): Promise<boolean | null> {
  return await withReader(fs, path, async (reader) => {
    for await (const line of linesBackward(reader)) {
      const entry = parseLine(line);
      if (entry !== null) return !isSessionHeader(entry);
    }
    return false;
  });
}

/** Counts the message entries of the whole file. */
export async function countMessages(fs: MemoryFs, path: string): Promise<number> {
  const count = await withReader(fs, path, async (reader) => {
    let messages = 0;
    for await (const line of linesForward(reader)) {
      const entry = parseLine(line);
      if (entry !== null && isMessageEntry(entry)) messages++;
    }
    return messages;
  });
  return count ?? 0;
}
