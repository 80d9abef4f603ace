import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ScopeIndex } from "./scope_index.ts";
import { indexFile, SIDE_FILES } from "./index_paths.ts";
import type { Scope } from "./index_backend.ts";

/** Options of {@linkcode ScopeIndexPool}. */
export interface ScopeIndexPoolOptions {
  /**
   * Loads sqlite-vec into a database opened with extensions allowed; absent for
   * keyword-only search (databases are then opened without extensions).
   * @default {undefined}
   */
  loadVectors?: (db: DatabaseSync) => void;
  /** The embedding model, with `loadVectors`. */
  vectorModel?: string;
  /** How many scope databases stay open, least recently used closed first. @default {16} */
  openScopes?: number;
}

/**
 * The open databases of the scopes under one index directory, at most `openScopes` at a
 * time. A keyword-only pool that meets a database made with vectors (the config's provider
 * was changed to "none") deletes it and starts that scope again: it is rebuilt from the
 * files.
 */
export class ScopeIndexPool {
  #dir: string;
  #options: ScopeIndexPoolOptions;
  #open = new Map<Scope, ScopeIndex>();

  /** @param indexDir The index directory. */
  constructor(indexDir: string, options: ScopeIndexPoolOptions = {}) {
    this.#dir = indexDir;
    this.#options = options;
  }

  /** Whether the databases hold vectors. */
  get vectors(): boolean {
    return this.#options.loadVectors !== undefined;
  }

  /**
   * The index of a scope, opened (and created) on first use.
   *
   * @throws {TypeError} If the scope is not a valid bare JID or the shared scope.
   */
  get(scope: Scope): ScopeIndex {
    const open = this.#open.get(scope);
    if (open !== undefined) {
      this.#open.delete(scope);
      this.#open.set(scope, open);
      return open;
    }
    const path = indexFile(this.#dir, scope);
    mkdirSync(dirname(path), { recursive: true });
    let index = this.#openAt(path);
    if (index === undefined) {
      removeDatabase(path);
      index = this.#openAt(path)!;
    }
    this.#open.set(scope, index);
    const limit = this.#options.openScopes ?? 16;
    for (const [oldest, kept] of this.#open) {
      if (this.#open.size <= limit) break;
      kept.close();
      this.#open.delete(oldest);
    }
    return index;
  }

  /** Closes a scope's database and deletes its files. */
  drop(scope: Scope): void {
    const path = indexFile(this.#dir, scope);
    this.#open.get(scope)?.close();
    this.#open.delete(scope);
    removeDatabase(path);
  }

  /** Closes every database. */
  close(): void {
    for (const index of this.#open.values()) index.close();
    this.#open.clear();
  }

  /** The index at `path`; `undefined` when a keyword-only pool finds vectors there. */
  #openAt(path: string): ScopeIndex | undefined {
    const { loadVectors, vectorModel } = this.#options;
    const db = new DatabaseSync(path, { allowExtension: loadVectors !== undefined });
    try {
      if (loadVectors === undefined) {
        if (ScopeIndex.holdsVectors(db)) {
          db.close();
          return undefined;
        }
        return new ScopeIndex(db);
      }
      loadVectors(db);
      return new ScopeIndex(db, { vectorModel: vectorModel ?? "" });
    } catch (error) {
      db.close();
      throw error;
    }
  }
}

function removeDatabase(path: string): void {
  for (const suffix of SIDE_FILES) rmSync(`${path}${suffix}`, { force: true });
}
