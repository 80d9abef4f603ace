import type { Chunk } from "./chunk.ts";
import type {
  Candidate,
  IndexBackend,
  IndexedFile,
  Scope,
  SearchRequest,
} from "./index_backend.ts";
import { ScopeIndexPool } from "./scope_index_pool.ts";

/**
 * The keyword-only index, in this process: SQLite FTS5 through `node:sqlite`, no extension
 * and so no FFI permission. Each call is one short synchronous step (the indexer sends
 * chunks in batches), so the event loop is never held for long.
 *
 * @example
 * ```ts
 * const backend = new LocalIndexBackend("data/memory/search");
 * await backend.search("alice@example.org", { words: ["tea"], k: 20, hideRecent: 0 });
 * ```
 */
export class LocalIndexBackend implements IndexBackend {
  readonly vectors = false;
  #pool: ScopeIndexPool;

  /** @param indexDir The index directory (created on first use). */
  constructor(indexDir: string, options: { openScopes?: number } = {}) {
    this.#pool = new ScopeIndexPool(indexDir, options);
  }

  files(scope: Scope): Promise<IndexedFile[]> {
    return this.#do(() => this.#pool.get(scope).files());
  }
  begin(scope: Scope, source: string, fromLine: number): Promise<void> {
    return this.#do(() => this.#pool.get(scope).begin(source, fromLine));
  }
  add(scope: Scope, source: string, chunks: readonly Chunk[]): Promise<void> {
    return this.#do(() => this.#pool.get(scope).add(source, chunks));
  }
  commit(scope: Scope, file: IndexedFile): Promise<void> {
    return this.#do(() => this.#pool.get(scope).commit(file));
  }
  remove(scope: Scope, source: string): Promise<void> {
    return this.#do(() => this.#pool.get(scope).remove(source));
  }
  prune(scope: Scope): Promise<void> {
    return this.#do(() => this.#pool.get(scope).prune());
  }
  missingVectors(): Promise<{ id: number; text: string }[]> {
    return Promise.resolve([]);
  }
  setVectors(): Promise<void> {
    return Promise.reject(new RangeError("The keyword-only index holds no vectors"));
  }
  search(scope: Scope, request: SearchRequest): Promise<Candidate[]> {
    const { words, k, hideRecent } = request;
    return this.#do(() => this.#pool.get(scope).search({ words, k, hideRecent }));
  }
  count(scope: Scope): Promise<number> {
    return this.#do(() => this.#pool.get(scope).count());
  }
  drop(scope: Scope): Promise<void> {
    return this.#do(() => this.#pool.drop(scope));
  }
  close(): Promise<void> {
    return this.#do(() => this.#pool.close());
  }

  #do<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
