/**
 * The memory of the agent: one folder per conversation under the data directory, in the
 * layout of the Rust Fluux Agent (JSON Lines history, archived sessions, markdown
 * profiles and prompt parts). Everything goes through {@linkcode MemoryStore}, which keeps
 * each session's last entries, its prompt files (for `promptTtlMs`) and a bounded number of
 * open history files in memory; call its `close()` on shutdown.
 *
 * @module
 */

export { MemoryStore } from "./memory_store.ts";
export type {
  ConversationRef,
  MemoryChange,
  MemoryStoreOptions,
  NewHistoryEntry,
  NoteFile,
  PromptLayer,
  PromptParts,
  RecentOptions,
  TornTailRepair,
} from "./memory_store.ts";
export { conversationDir, normaliseJid } from "./paths.ts";
export { isMessageEntry, isSessionHeader, parseLine } from "./entries.ts";
export type {
  Attachment,
  HistoryEntry,
  MessageEntry,
  OtherEntry,
  Reaction,
  SessionHeader,
} from "./entries.ts";
export type { MemoryAppender, MemoryFs, MemoryReader } from "./memory_fs.ts";
export { denoMemoryFs } from "./deno_memory_fs.ts";
export { Inbox } from "./inbox.ts";
export type { InboxFile, InboxOptions, InboxRecord } from "./inbox.ts";
export { denoInboxFile } from "./deno_inbox_file.ts";
export type { DenoInboxFileOptions } from "./deno_inbox_file.ts";
export { InMemoryFs } from "./in_memory_fs.ts";
export { LruMap } from "./_lru.ts";
