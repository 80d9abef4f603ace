/**
 * The data directory of the agent, in the layout of the Rust Fluux Agent:
 *
 * ```
 * {root}/identity.md personality.md instructions.md   global prompt parts
 * {root}/{bare-jid}/history.jsonl                      current session
 * {root}/{bare-jid}/sessions/{YYYYMMDD-HHMMSS}.jsonl   archived sessions
 * {root}/{bare-jid}/user.md (context.md) memory.md identity.md personality.md instructions.md
 * ```
 *
 * @module
 */

import { basename, dirname, join, relative } from "node:path";
import type { HistoryEntry, MessageEntry, SessionHeader } from "./entries.ts";
import { frozenEntry, isMessageEntry, isSessionHeader, parseLine } from "./entries.ts";
import { normaliseJid } from "./paths.ts";
import { ConversationPaths, type ConversationRef, refJid } from "./_conversation_paths.ts";
import type { MemoryFs } from "./memory_fs.ts";
import { denoMemoryFs } from "./deno_memory_fs.ts";
import { KeyedQueue } from "../async/mod.ts";
import { LruMap } from "./_lru.ts";
import { AppendHandles } from "./_append_handles.ts";
import { loadSessionTail, SessionTail } from "./_session_tail.ts";
import { type PromptLayer, type PromptParts, PromptPartsCache } from "./_prompt_parts.ts";
import {
  countMessages,
  hasEntries,
  lastTimestamp,
  readRecent,
  repairTornTail,
  type TornTailRepair,
} from "./_history_file.ts";

import type {
  MemoryChange,
  MemoryStoreOptions,
  NewHistoryEntry,
  RecentOptions,
} from "./memory_store_options.ts";

export type { TornTailRepair } from "./_history_file.ts";
export type { PromptLayer, PromptParts } from "./_prompt_parts.ts";

export type {
  MemoryChange,
  MemoryStoreOptions,
  NewHistoryEntry,
  RecentOptions,
} from "./memory_store_options.ts";

interface FileState {
  repaired: boolean;
  messages?: number;
  lastTs?: string | null;
  /** The last entries, once `recent()` has needed them. */
  tail?: SessionTail;
}

const HISTORY = "history.jsonl";

/**
 * The note files the agent itself writes in a conversation's folder; `memory.archive.md` keeps
 * every text a consolidation of `memory.md` replaced.
 */
export type NoteFile = "memory.md" | "context.md" | "memory.archive.md";
const NOTE_FILES: readonly string[] = ["memory.md", "context.md", "memory.archive.md"];
const PROFILE_FILES = ["user.md", "context.md", "memory.md", "memory.archive.md"];
const encoder = new TextEncoder();

function count(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Invalid memory store option ${name}: expected a count, got ${n}`);
  }
  return n;
}

/** A note file's name, checked: the type alone does not stop a caller from JavaScript. */
function noteName(name: NoteFile): NoteFile {
  if (!NOTE_FILES.includes(name)) throw new TypeError(`Not a note file: ${JSON.stringify(name)}`);
  return name;
}

function archiveStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/**
 * Per-conversation history, archives and prompt files. Every method validates the JID
 * before touching the disk (TypeError if invalid). Operations on one conversation run
 * one at a time; different conversations run concurrently. Call {@linkcode close} when
 * done, to close the history files it keeps open.
 *
 * @example
 * ```ts
 * const store = new MemoryStore("data/memory");
 * await store.append("alice@example.org", { type: "message", role: "user", content: "Hi" });
 * const last = await store.recent("alice@example.org", 20);
 * ```
 */
export class MemoryStore {
  #paths: ConversationPaths;
  #fs: MemoryFs;
  #now: () => Date;
  #sync: boolean;
  #onRepair: (repair: TornTailRepair) => void;
  #onChange: (change: MemoryChange) => void;
  #queue = new KeyedQueue();
  #files: LruMap<string, FileState>;
  #tailEntries: number;
  #handles: AppendHandles;
  #prompts: PromptPartsCache;

  /**
   * @param root The data directory (created on the first append).
   * @param options Filesystem, clock, durability, repair hook and cache sizes.
   * @throws {RangeError} If a cache size or the TTL is not a non-negative integer.
   */
  constructor(root: string, options: MemoryStoreOptions = {}) {
    this.#fs = options.fs ?? denoMemoryFs();
    const now = options.now ?? (() => new Date());
    this.#now = now;
    this.#sync = (options.durability ?? "datasync") === "datasync";
    this.#onRepair = options.onRepair ?? (() => {});
    this.#onChange = options.onChange ?? (() => {});
    this.#tailEntries = count(options.cacheEntries, 200, "cacheEntries");
    const sessions = count(options.cacheSessions, 1000, "cacheSessions");
    this.#paths = new ConversationPaths(root, sessions);
    this.#files = new LruMap(sessions);
    this.#handles = new AppendHandles(this.#fs, count(options.openFiles, 64, "openFiles"));
    this.#prompts = new PromptPartsCache(this.#fs, root, {
      ttlMs: count(options.promptTtlMs, 2000, "promptTtlMs"),
      capacity: sessions,
      now: () => now().getTime(),
      ...(options.promptNotes === undefined ? {} : { notes: options.promptNotes }),
    });
  }

  /**
   * Closes the history files kept open, once the operations under way have finished.
   * The store stays usable afterwards, opening and closing files on each append.
   */
  async close(): Promise<void> {
    this.#handles.closeAll();
    await this.#queue.idle();
  }

  /** Runs `task` on a conversation's history file, after repairing it on first access. */
  async #withHistory<T>(
    ref: ConversationRef,
    task: (path: string, state: FileState) => Promise<T>,
  ): Promise<T> {
    // Concatenated, not joined: the folder is already normalised, and this runs on every call.
    return await this.#withHistoryAt(`${await this.#paths.sessionDir(ref)}/${HISTORY}`, task);
  }

  /** {@linkcode #withHistory} for a history file's path (already checked). */
  async #withHistoryAt<T>(
    path: string,
    task: (path: string, state: FileState) => Promise<T>,
  ): Promise<T> {
    return await this.#queue.run(path, async () => {
      let state = this.#files.get(path);
      if (!state) this.#files.set(path, state = { repaired: false });
      if (!state.repaired) {
        const repair = await repairTornTail(this.#fs, path);
        if (repair) this.#onRepair(repair);
        state.repaired = true;
      }
      return await task(path, state);
    });
  }

  /**
   * Appends one entry as one line (with the session header first if the file is new or
   * empty), durably per the `durability` option.
   *
   * @param jid The conversation's bare JID.
   * @param entry The entry; `ts` is filled in when missing.
   * @returns The entry as written.
   * @throws {TypeError} If the JID is invalid, or the entry has no type, the type
   * `"session"`, or is a message without a valid role and string content.
   */
  async append(ref: ConversationRef, entry: NewHistoryEntry): Promise<HistoryEntry> {
    const thread = typeof ref === "string" ? undefined : ref.thread;
    const written = { ...entry, ts: entry.ts ?? this.#now().toISOString() } as HistoryEntry;
    if (typeof written.type !== "string" || written.type === "" || written.type === "session") {
      throw new TypeError(`Invalid history entry type ${JSON.stringify(written.type)}`);
    }
    const isMessage = isMessageEntry(written);
    if (written.type === "message" && !isMessage) {
      throw new TypeError(`Invalid message entry: role must be "user" or "assistant"`);
    }
    const json = JSON.stringify(written);
    return await this.#withHistory(ref, async (path, state) => {
      const file = await this.#handles.acquire(path);
      const fresh = file.size === 0;
      try {
        let text = json + "\n";
        if (fresh) {
          const header: SessionHeader = {
            type: "session",
            version: 1,
            created: this.#now().toISOString(),
            jid: normaliseJid(refJid(ref)),
            ...(thread ? { thread } : {}),
          };
          text = JSON.stringify(header) + "\n" + text;
        }
        const bytes = encoder.encode(text);
        await file.appender.write(bytes);
        file.size += bytes.length;
        if (this.#sync) await file.appender.syncData();
      } catch (error) {
        file.appender.close();
        // Whatever reached the file is reread, and a torn line repaired, on next access.
        this.#files.delete(path);
        throw error;
      }
      this.#handles.release(path, file);
      if (fresh) {
        state.messages = 0;
        if (this.#tailEntries > 0) state.tail = new SessionTail(this.#tailEntries);
      }
      state.tail?.push(json, written);
      if (isMessage && state.messages !== undefined) state.messages++;
      state.lastTs = written.ts ?? null;
      this.#changed(ref, "append");
      return written;
    });
  }

  /** Tells the `onChange` hook; a failing hook never fails the store's operation. */
  #changed(ref: ConversationRef, kind: MemoryChange["kind"]): void {
    const thread = typeof ref === "string" ? undefined : ref.thread;
    try {
      this.#onChange({ jid: normaliseJid(refJid(ref)), ...(thread ? { thread } : {}), kind });
    } catch {
      // The hook only notes the change; the entry is written either way.
    }
  }

  /**
   * The last `n` messages of the current session, oldest first. Answered from the
   * entries kept in memory (see `cacheEntries`) when they reach back far enough, else
   * read from the file's end, stopping once it has them: the cost does not grow with
   * the session. Entries are frozen (those served from memory are shared): copy one to
   * change it.
   *
   * @param jid The conversation's bare JID.
   * @param n How many messages (a non-negative integer).
   * @param options What else to include.
   * @throws {TypeError} If the JID is invalid. @throws {RangeError} If `n` is invalid.
   */
  async recent(
    jid: ConversationRef,
    n: number,
    options: RecentOptions = {},
  ): Promise<HistoryEntry[]> {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(
        `Cannot read recent history: n must be a non-negative integer, got ${n}`,
      );
    }
    const include = options.include ?? "messages";
    return await this.#withHistory(jid, async (path, state) => {
      if (this.#tailEntries > 0) {
        state.tail ??= await loadSessionTail(this.#fs, path, this.#tailEntries);
        const cached = state.tail.recent(n, include);
        if (cached !== null) return cached;
      }
      return (await readRecent(this.#fs, path, n, include)).map(frozenEntry);
    });
  }

  /**
   * The newest entry of the current session's tail that satisfies `match`: the entries kept in
   * memory (the last `cacheEntries`, read from the file's end on first use), or with that cache
   * off the entries from the 200th last message on. Older entries are not searched, so the
   * cost stays that of a short session.
   *
   * @param ref The conversation.
   * @param match Tests one frozen entry.
   * @param options `ids`: `match` holds only for an entry whose `msg_id` or `stanza_id` is one
   * of these (a tail without any is not searched).
   * @throws {TypeError} If the JID is invalid.
   */
  async findRecent(
    ref: ConversationRef,
    match: (entry: HistoryEntry) => boolean,
    options: { ids?: readonly string[] } = {},
  ): Promise<HistoryEntry | undefined> {
    return await this.#withHistory(ref, async (path, state) => {
      if (this.#tailEntries === 0) {
        return (await readRecent(this.#fs, path, 200, "all")).map(frozenEntry).findLast(match);
      }
      state.tail ??= await loadSessionTail(this.#fs, path, this.#tailEntries);
      return state.tail.find(match, options.ids);
    });
  }

  /**
   * The message whose `msg_id` or `stanza_id` is `id` (its latest correction, when the
   * current session has one): in the current session's last entries, else in the archived
   * sessions, newest first (at most the last `archives` of them).
   *
   * @param ref The session.
   * @param id A message id.
   * @param options `archives`: how many archived sessions to read. @default {50}
   * @throws {TypeError} If the JID is invalid.
   */
  async findMessage(
    ref: ConversationRef,
    id: string,
    options: { archives?: number } = {},
  ): Promise<MessageEntry | undefined> {
    const match = (entry: HistoryEntry): entry is MessageEntry =>
      isMessageEntry(entry) && (entry.msg_id === id || entry.stanza_id === id);
    // A message corrected since (XEP-0308): what its author's client now shows.
    const corrected = await this.findRecent(
      ref,
      (entry) => isMessageEntry(entry) && entry.replaces === id,
    );
    if (corrected !== undefined && isMessageEntry(corrected)) return corrected;
    const recent = await this.findRecent(ref, match, { ids: [id] });
    if (recent !== undefined && match(recent)) return recent;
    const sessions = join(await this.#paths.sessionDir(ref), "sessions");
    const names = (await this.#fs.listFiles(sessions)).filter((name) => name.endsWith(".jsonl"))
      .sort().reverse().slice(0, options.archives ?? 50);
    for (const name of names) {
      const text = await this.#fs.readText(join(sessions, name)) ?? "";
      for (const line of text.split("\n").reverse()) {
        if (!line.includes(id)) continue;
        const entry = parseLine(line);
        if (entry !== null && !isSessionHeader(entry) && match(entry)) return frozenEntry(entry);
      }
    }
    return undefined;
  }

  /**
   * When the last entry of the current session was written (for idle timeouts).
   *
   * @returns Its `ts`, or `null` if the session has no entry.
   */
  async lastActivity(jid: ConversationRef): Promise<Date | null> {
    return await this.#withHistory(jid, async (path, state) => {
      if (state.lastTs === undefined) state.lastTs = await lastTimestamp(this.#fs, path);
      return state.lastTs === null ? null : new Date(state.lastTs);
    });
  }

  /** Number of messages in the current session (scans once, then kept up to date). */
  async messageCount(jid: ConversationRef): Promise<number> {
    return await this.#withHistory(jid, async (path, state) => {
      state.messages ??= await countMessages(this.#fs, path);
      return state.messages;
    });
  }

  /**
   * Moves the current session to `sessions/{YYYYMMDD-HHMMSS}.jsonl` (UTC; `-1`, `-2`, …
   * added when that name is taken). The next append starts a new session.
   *
   * @returns The archive's path, or `null` if the session had no entry (nothing moved).
   */
  async archive(jid: ConversationRef): Promise<string | null> {
    const dir = await this.#paths.sessionDir(jid);
    return await this.#withHistory(jid, async (path, state) => {
      if (!(state.tail?.hasEntries || await hasEntries(this.#fs, path))) return null;
      this.#handles.close(path);
      const sessions = join(dir, "sessions");
      await this.#fs.mkdirp(sessions);
      const stamp = archiveStamp(this.#now());
      for (let n = 0;; n++) {
        const target = join(sessions, n === 0 ? `${stamp}.jsonl` : `${stamp}-${n}.jsonl`);
        if (await this.#fs.renameNoReplace(path, target)) {
          this.#reset(state);
          this.#changed(jid, "archive");
          return target;
        }
      }
    });
  }

  /**
   * Erases the current session and the profile (`user.md`, `context.md`, `memory.md`);
   * for the default session, the current session of every thread too. Archived sessions
   * and identity files are kept.
   *
   * @returns The files removed, relative to the conversation's folder.
   */
  async forget(ref: ConversationRef): Promise<string[]> {
    try {
      return await this.#forget(ref);
    } finally {
      // Even after a partial failure: what indexes the erased files must forget them too.
      this.#changed(ref, "forget");
    }
  }

  async #forget(ref: ConversationRef): Promise<string[]> {
    const dir = this.#paths.dir(refJid(ref));
    const removed = await this.#withHistory(ref, async (path, state) => {
      const session = relative(dir, dirname(path));
      const erased = (await this.#eraseSession(path, state)).map((name) => join(session, name));
      try {
        for (const name of ["history.md", ...PROFILE_FILES]) {
          if (await this.#fs.remove(join(dir, name))) erased.push(name);
        }
      } finally {
        this.#prompts.invalidate(dir);
      }
      return erased;
    });
    if (typeof ref !== "string" && ref.thread) return removed;
    const threads = join(dir, "threads");
    for (const folder of await this.#fs.listFolders(threads)) {
      const path = join(threads, folder, HISTORY);
      const erased = await this.#withHistoryAt(path, (at, state) => this.#eraseSession(at, state));
      removed.push(...erased.map((name) => join("threads", folder, name)));
    }
    return removed;
  }

  /** Removes a session's history (and its torn tail, if any); the names removed. */
  async #eraseSession(path: string, state: FileState): Promise<string[]> {
    this.#handles.close(path);
    const erased: string[] = [];
    for (const file of [path, `${path}.torn`]) {
      if (await this.#fs.remove(file)) erased.push(basename(file));
    }
    this.#reset(state);
    return erased;
  }

  /** Number of archived sessions (`.jsonl`, and the Rust agent's legacy `.md`). */
  async archivedSessions(jid: ConversationRef): Promise<number> {
    const names = await this.#fs.listFiles(join(await this.#paths.sessionDir(jid), "sessions"));
    return names.filter((name) => name.endsWith(".jsonl") || name.endsWith(".md")).length;
  }

  /**
   * The prompt parts of a conversation: identity, personality and instructions from the
   * conversation's folder if present, else from the root; the user profile from
   * `user.md`, else `context.md`; notes from `memory.md`. Blank files count as absent.
   * Files are reread at most every `promptTtlMs`, so a hand edit shows within that time.
   *
   * @param jid The conversation.
   * @param layer Parts used where the conversation's folder has no file, before the root's
   * (the active persona's). @default {{}}
   */
  async promptParts(jid: string, layer?: PromptLayer): Promise<PromptParts> {
    return await this.#prompts.get(this.#paths.dir(jid), layer);
  }

  /**
   * The text of one of a conversation's note files: `memory.md` (facts the agent keeps) or
   * `context.md` (what the last session left for the next).
   *
   * @returns The text, or `null` when the file is missing.
   * @throws {TypeError} If the JID is invalid.
   */
  async readNote(jid: string, name: NoteFile): Promise<string | null> {
    const path = join(this.#paths.dir(jid), noteName(name));
    return await this.#queue.run(path, () => this.#fs.readText(path));
  }

  /**
   * Appends text to a note file (created with its folder when missing), durably per the
   * `durability` option; the next prompt shows it at once.
   *
   * @throws {TypeError} If the JID is invalid.
   */
  async appendNote(jid: string, name: NoteFile, text: string): Promise<void> {
    const dir = this.#paths.dir(jid);
    await this.#fs.mkdirp(dir);
    try {
      await this.#appendText(join(dir, noteName(name)), text);
    } finally {
      this.#prompts.invalidate(dir);
    }
    this.#changed(jid, "append");
  }

  /**
   * Replaces the text of a note file as one step (a temporary file renamed over it, so a crash
   * leaves the old text or the new), unless it no longer holds `expected`. With `archive`, the
   * text replaced is first appended to that note file under `archive.heading`, so nothing it
   * held is lost.
   *
   * @param options `expected`: the text the file must still hold (`null`: missing);
   * `archive`: where the replaced text goes.
   * @returns Whether it was replaced (`false`: the file changed meanwhile, nothing written).
   * @throws {TypeError} If the JID is invalid or `name` is not a note file.
   */
  async replaceNote(
    jid: string,
    name: NoteFile,
    text: string,
    options: { expected?: string | null; archive?: { name: NoteFile; heading: string } } = {},
  ): Promise<boolean> {
    const dir = this.#paths.dir(jid);
    const path = join(dir, noteName(name));
    const { archive } = options;
    if (archive !== undefined && noteName(archive.name) === name) {
      throw new TypeError(`Cannot archive ${name} into itself`);
    }
    const replaced = await this.#queue.run(path, async () => {
      const current = await this.#fs.readText(path);
      if (options.expected !== undefined && current !== options.expected) return false;
      await this.#fs.mkdirp(dir);
      try {
        if (archive !== undefined && current !== null && current.trim() !== "") {
          const body = current.endsWith("\n") ? current : `${current}\n`;
          await this.#appendText(join(dir, archive.name), `\n${archive.heading}\n\n${body}`);
        }
        await this.#fs.replaceText(path, text, { sync: this.#sync });
      } finally {
        this.#prompts.invalidate(dir);
      }
      return true;
    });
    if (replaced) this.#changed(jid, "append");
    return replaced;
  }

  /** Appends to a file under its own queue (a caller may hold another file's). */
  async #appendText(path: string, text: string): Promise<void> {
    await this.#queue.run(path, async () => {
      const file = await this.#fs.openAppend(path);
      try {
        await file.write(encoder.encode(text));
        if (this.#sync) await file.syncData();
      } finally {
        file.close();
      }
    });
  }

  /**
   * Removes a note file.
   *
   * @returns Whether there was one.
   * @throws {TypeError} If the JID is invalid.
   */
  async clearNote(jid: string, name: NoteFile): Promise<boolean> {
    const dir = this.#paths.dir(jid);
    const path = join(dir, noteName(name));
    const removed = await this.#queue.run(path, async () => {
      try {
        return await this.#fs.remove(path);
      } finally {
        this.#prompts.invalidate(dir);
      }
    });
    // Told as a change, not a forget: the rest of the conversation stays indexed.
    if (removed) this.#changed(jid, "append");
    return removed;
  }

  /** Marks a session as having no entry, after its file was moved or removed. */
  #reset(state: FileState): void {
    state.messages = 0;
    state.lastTs = null;
    if (this.#tailEntries > 0) state.tail = new SessionTail(this.#tailEntries);
  }
}

export type { ConversationRef };
