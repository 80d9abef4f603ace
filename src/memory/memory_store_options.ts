/**
 * The options and argument types of {@linkcode MemoryStore}.
 *
 * @module
 */
import type { MessageEntry, OtherEntry } from "./entries.ts";
import type { MemoryFs } from "./memory_fs.ts";
import type { TornTailRepair } from "./_history_file.ts";

/** An entry to append; `ts` defaults to the store's clock. */
export type NewHistoryEntry = (Omit<MessageEntry, "ts"> & { ts?: string }) | OtherEntry;

/** Options of {@linkcode MemoryStore.recent}. */
export interface RecentOptions {
  /**
   * `"messages"`: only message entries; `"all"`: every entry from the oldest returned
   * message on (tool calls, reactions, … between the messages).
   * @default {"messages"}
   */
  include?: "messages" | "all";
}

/**
 * A change the store made to a conversation's files: an entry appended to a session, a
 * session archived, or the session and profile erased (`/forget`).
 */
export interface MemoryChange {
  /** The conversation's normalised bare JID. */
  jid: string;
  /** The XEP-0201 thread whose session changed; absent for the default session. */
  thread?: string;
  kind: "append" | "archive" | "forget";
}

/** Options of {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /** Filesystem access. @default {denoMemoryFs()} */
  fs?: MemoryFs;
  /** Clock for timestamps and archive names. @default {() => new Date()} */
  now?: () => Date;
  /**
   * `"datasync"`: `fdatasync` after each append, so a line survives a crash of the
   * machine (measured ~0.6 ms median on ext4). `"none"`: the line survives a crash of
   * the process only (it is in the kernel once `write` returns).
   * @default {"datasync"}
   */
  durability?: "datasync" | "none";
  /**
   * Called after each change the store makes (for the search index: a changed session is
   * re-indexed, a forgotten conversation's index removed). It must not throw; it runs
   * inside the conversation's file queue, so it should only note the change.
   * @default {no-op}
   */
  onChange?: (change: MemoryChange) => void;
  /** Called when a torn last line left by a crash is repaired. @default {no-op} */
  onRepair?: (repair: TornTailRepair) => void;
  /**
   * How many of its last entries each session keeps in memory, so `recent()` reads no
   * file unless it asks for more messages than these hold (0: always read the file).
   * @default {200}
   */
  cacheEntries?: number;
  /**
   * How many sessions keep their state (cached entries, counts) and prompt parts in
   * memory, least recently used forgotten first: this bounds the memory of the caches.
   * @default {1000}
   */
  cacheSessions?: number;
  /**
   * How long prompt files are reused before being read again, by the `now` clock: a
   * hand edit of `user.md`, `instructions.md`, … is seen within this time (0: read them
   * on every call). The store's own changes (`forget()`) are seen at once.
   * @default {2000}
   */
  promptTtlMs?: number;
  /**
   * What the prompt parts carry of a conversation's `memory.md` (its text as read): the
   * context bounds it to a token budget. Worked out once per read of the file, so the
   * prompt stays the same text while the file does.
   * @default {the whole text}
   */
  promptNotes?: (text: string) => string;
  /**
   * How many history files stay open between appends, least recently used closed
   * first (0: open and close the file on every append). While a file is open the store
   * must be its only writer: do not move or delete `history.jsonl` by hand meanwhile.
   * @default {64}
   */
  openFiles?: number;
}
