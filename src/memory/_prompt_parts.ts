/**
 * Reading the prompt files of a conversation, reused for a short while: a turn needs
 * them every time and they change only when someone edits them by hand, so each file
 * is read at most once per `ttlMs` (an edit is seen within that time).
 *
 * A filesystem watcher would see edits at once, but a recursive watch walks the whole
 * data directory before it returns (measured ~0.6 s for 5,000 conversations), takes
 * one inotify watch per folder, and wakes the process on every history append.
 *
 * @module
 */

import { join } from "node:path";
import type { MemoryFs } from "./memory_fs.ts";
import { LruMap } from "./_lru.ts";

/** The prompt parts of a conversation; a part is absent when its file is missing or blank. */
export interface PromptParts {
  identity?: string;
  personality?: string;
  instructions?: string;
  /** The user profile: `user.md`, else the legacy `context.md`. */
  user?: string;
  /** Long-term notes: `memory.md`. */
  memory?: string;
  /** Background the active persona brings: its `context.md` (see {@linkcode PromptLayer}). */
  context?: string;
  /**
   * What the last session left for this one (`context.md`, written by `session.carry_over`),
   * when `user.md` is the profile; without `user.md`, `context.md` is the profile itself.
   */
  previous?: string;
}

/**
 * Parts that come between a conversation's own files and the global ones: those of the
 * conversation's active persona (src/personas). Each part is used when the conversation's
 * folder has no file of that name.
 */
export type PromptLayer = Pick<
  PromptParts,
  "identity" | "personality" | "instructions" | "context"
>;

type GlobalParts = Pick<PromptParts, "identity" | "personality" | "instructions">;

interface Loaded<T> {
  /** When the read started (by the store's clock, in milliseconds). */
  at: number;
  value: Promise<T>;
}

/** Options of {@linkcode PromptPartsCache}. */
export interface PromptPartsCacheOptions {
  /** How long a read is reused (0: never). */
  ttlMs: number;
  /** The most conversations whose parts are kept. */
  capacity: number;
  /** The clock, in milliseconds. */
  now: () => number;
  /** What the prompt carries of `memory.md`'s text. @default {the whole text} */
  notes?: (text: string) => string;
}

function nonBlank(text: string | null): string | undefined {
  return text === null || text.trim() === "" ? undefined : text;
}

const GLOBAL_NAMES = ["identity", "personality", "instructions"] as const;

/** Prompt parts of the root and of each conversation folder, reread after `ttlMs`. */
export class PromptPartsCache {
  #fs: MemoryFs;
  #root: string;
  #options: PromptPartsCacheOptions;
  #global: Loaded<GlobalParts> | undefined;
  #folders: LruMap<string, Loaded<PromptParts>>;

  /**
   * @param fs Filesystem access.
   * @param root The data directory, whose files are the global parts.
   */
  constructor(fs: MemoryFs, root: string, options: PromptPartsCacheOptions) {
    this.#fs = fs;
    this.#root = root;
    this.#options = options;
    this.#folders = new LruMap(options.capacity);
  }

  /**
   * The parts for the conversation folder `dir`: its own files, else the layer's, else the
   * root's.
   */
  async get(dir: string, layer: PromptLayer = {}): Promise<PromptParts> {
    const [global, own] = await Promise.all([
      this.#cached(this.#global, () => this.#readGlobal(), {
        keep: (loaded) => this.#global = loaded,
        drop: (loaded) => {
          if (this.#global === loaded) this.#global = undefined;
        },
      }),
      this.#cached(this.#folders.get(dir), () => this.#readFolder(dir), {
        keep: (loaded) => this.#folders.set(dir, loaded),
        drop: (loaded) => {
          if (this.#folders.get(dir) === loaded) this.#folders.delete(dir);
        },
      }),
    ]);
    const parts: PromptParts = {};
    for (const name of GLOBAL_NAMES) {
      const text = own[name] ?? layer[name] ?? global[name];
      if (text !== undefined) parts[name] = text;
    }
    if (own.user !== undefined) parts.user = own.user;
    if (own.memory !== undefined) parts.memory = own.memory;
    if (layer.context !== undefined) parts.context = layer.context;
    if (own.previous !== undefined) parts.previous = own.previous;
    return parts;
  }

  /** Forgets what was read for `dir`, after the store itself changed its files. */
  invalidate(dir: string): void {
    this.#folders.delete(dir);
  }

  /** Forgets everything read. */
  clear(): void {
    this.#global = undefined;
    this.#folders.clear();
  }

  async #cached<T>(
    loaded: Loaded<T> | undefined,
    read: () => Promise<T>,
    slot: { keep: (loaded: Loaded<T>) => void; drop: (loaded: Loaded<T>) => void },
  ): Promise<T> {
    const now = this.#options.now();
    if (loaded !== undefined) {
      const age = now - loaded.at;
      // A clock set back makes the age negative: read again rather than trust it.
      if (age >= 0 && age < this.#options.ttlMs) return await loaded.value;
    }
    const value = read();
    if (this.#options.ttlMs <= 0) return await value;
    const fresh = { at: now, value };
    slot.keep(fresh);
    // A failed read is not kept: the next call tries again.
    value.catch(() => slot.drop(fresh));
    return await value;
  }

  async #read(path: string): Promise<string | undefined> {
    return nonBlank(await this.#fs.readText(path));
  }

  async #readGlobal(): Promise<GlobalParts> {
    const texts = await Promise.all(
      GLOBAL_NAMES.map((name) => this.#read(join(this.#root, `${name}.md`))),
    );
    const parts: GlobalParts = {};
    GLOBAL_NAMES.forEach((name, i) => {
      const text = texts[i];
      if (text !== undefined) parts[name] = text;
    });
    return parts;
  }

  async #readFolder(dir: string): Promise<PromptParts> {
    const [identity, personality, instructions, profile, context, memory] = await Promise.all([
      this.#read(join(dir, "identity.md")),
      this.#read(join(dir, "personality.md")),
      this.#read(join(dir, "instructions.md")),
      this.#read(join(dir, "user.md")),
      this.#read(join(dir, "context.md")),
      this.#read(join(dir, "memory.md")),
    ]);
    const user = profile ?? context;
    const previous = profile === undefined ? undefined : context;
    const parts: PromptParts = {};
    if (identity !== undefined) parts.identity = identity;
    if (personality !== undefined) parts.personality = personality;
    if (instructions !== undefined) parts.instructions = instructions;
    if (user !== undefined) parts.user = user;
    // Worked out once per read, so the prompt stays the same text while the file does.
    if (memory !== undefined) parts.memory = this.#options.notes?.(memory) ?? memory;
    if (previous !== undefined) parts.previous = previous;
    return parts;
  }
}
