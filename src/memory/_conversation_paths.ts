/**
 * Where a conversation's files are: its folder (`{root}/{bare-jid}`) and, for a XEP-0201
 * thread, the thread's own folder under `threads/`. The paths of recent conversations are
 * kept, so that the several memory operations of one turn check and join a JID once.
 *
 * @module
 */

import { join } from "node:path";
import { LruMap } from "./_lru.ts";
import { conversationDir } from "./paths.ts";

/**
 * A conversation's current session: a bare JID for the default session, or a JID and a
 * XEP-0201 thread for that thread's own session (kept under `threads/`).
 */
export type ConversationRef = string | { jid: string; thread?: string | undefined };

/** The JID of a conversation. */
export function refJid(ref: ConversationRef): string {
  return typeof ref === "string" ? ref : ref.jid;
}

const SAFE_THREAD = /^[A-Za-z0-9_-]{1,64}$/;
/** Thread ids longer than this are hashed every time rather than kept (they come from senders). */
const MAX_KEPT_THREAD = 256;

/** The folders of conversations under one data directory, recent ones kept. */
export class ConversationPaths {
  #root: string;
  #dirs: LruMap<string, string>;
  #sessions: LruMap<string, string>;

  /**
   * @param root The data directory.
   * @param capacity How many conversations' paths are kept.
   */
  constructor(root: string, capacity: number) {
    this.#root = root;
    this.#dirs = new LruMap(capacity);
    this.#sessions = new LruMap(capacity);
  }

  /**
   * The folder of a conversation (see {@linkcode conversationDir}).
   *
   * @throws {TypeError} If the JID is invalid; nothing is kept for it.
   */
  dir(jid: string): string {
    const kept = this.#dirs.get(jid);
    if (kept !== undefined) return kept;
    const dir = conversationDir(this.#root, jid);
    this.#dirs.set(jid, dir);
    return dir;
  }

  /**
   * The folder holding a session's `history.jsonl` and `sessions/`.
   *
   * @throws {TypeError} If the JID is invalid.
   */
  async sessionDir(ref: ConversationRef): Promise<string> {
    if (typeof ref === "string" || ref.thread === undefined || ref.thread === "") {
      return this.dir(refJid(ref));
    }
    // The folder is checked (or found checked) first; it holds no newline, so the key is
    // unambiguous whatever the thread id holds.
    const parent = this.dir(ref.jid);
    const key = `${parent}\n${ref.thread}`;
    const kept = this.#sessions.get(key);
    if (kept !== undefined) return kept;
    const dir = join(parent, "threads", await threadFolder(ref.thread));
    if (ref.thread.length <= MAX_KEPT_THREAD) this.#sessions.set(key, dir);
    return dir;
  }
}

/**
 * The folder name of a thread's session: the thread id when it is plainly safe, else a
 * hash of it (thread ids come from senders and may hold anything).
 */
async function threadFolder(thread: string): Promise<string> {
  if (SAFE_THREAD.test(thread)) return thread;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(thread));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `h-${hex.slice(0, 32)}`;
}
