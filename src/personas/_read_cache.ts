/**
 * Reads of small files reused for a short while: a turn reads its persona's files every
 * time, and they change only when someone edits them by hand (seen within `ttlMs`) or through
 * `/persona`, whose writes go through here and are seen at once.
 *
 * @module
 */
import type { PersonaFs } from "./persona_fs.ts";

interface Read {
  at: number;
  text: Promise<string | null>;
}

/** {@linkcode PersonaFs} reads kept for `ttlMs`, at most `capacity` files. */
export class ReadCache {
  #fs: PersonaFs;
  #ttlMs: number;
  #capacity: number;
  #now: () => number;
  #reads = new Map<string, Read>();

  constructor(fs: PersonaFs, options: { ttlMs: number; capacity: number; now: () => number }) {
    this.#fs = fs;
    this.#ttlMs = options.ttlMs;
    this.#capacity = options.capacity;
    this.#now = options.now;
  }

  /** The file's text, `null` when it does not exist; a blank file counts as absent. */
  async text(path: string): Promise<string | null> {
    const text = await this.#read(path);
    return text === null || text.trim() === "" ? null : text;
  }

  #read(path: string): Promise<string | null> {
    const now = this.#now();
    const kept = this.#reads.get(path);
    // A clock set back makes the age negative: read again rather than trust it.
    if (kept !== undefined && now - kept.at >= 0 && now - kept.at < this.#ttlMs) {
      this.#reads.delete(path);
      this.#reads.set(path, kept);
      return kept.text;
    }
    const text = this.#fs.readText(path);
    if (this.#ttlMs <= 0) return text;
    const read = { at: now, text };
    this.#reads.set(path, read);
    // A failed read is not kept: the next call tries again.
    text.catch(() => {
      if (this.#reads.get(path) === read) this.#reads.delete(path);
    });
    if (this.#reads.size > this.#capacity) {
      this.#reads.delete(this.#reads.keys().next().value!);
    }
    return text;
  }

  /** Writes a file and forgets what was read of it. */
  async write(path: string, text: string): Promise<void> {
    this.#reads.delete(path);
    await this.#fs.writeText(path, text);
    this.#reads.delete(path);
  }

  /** Deletes a file or folder and forgets what was read under it; whether it existed. */
  async remove(path: string): Promise<boolean> {
    this.#forget(path);
    const removed = await this.#fs.remove(path);
    this.#forget(path);
    return removed;
  }

  /** Names of the folders in a folder (never cached: listings are for commands). */
  listFolders(path: string): Promise<string[]> {
    return this.#fs.listFolders(path);
  }

  #forget(path: string): void {
    for (const name of [...this.#reads.keys()]) {
      if (name === path || name.startsWith(`${path}/`)) this.#reads.delete(name);
    }
  }
}
