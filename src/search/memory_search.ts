import { existsSync } from "node:fs";
import { join } from "node:path";
import { KeyedQueue } from "../async/mod.ts";
import { errorMessage } from "../log/mod.ts";
import { normaliseJid } from "../memory/mod.ts";
import { Embedding } from "./_embedding.ts";
import { fuse, type RankedHit, type ScopedCandidate } from "./fusion.ts";
import { type IndexBackend, type IndexedFile, type Scope, SHARED_SCOPE } from "./index_backend.ts";
import { indexFile } from "./index_paths.ts";
import {
  checkSourceName,
  MemoryAccessError,
  type MemoryExcerpt,
  outsideScope,
  readExcerpt,
} from "./memory_excerpt.ts";
import {
  listConversations,
  listIndexedConversations,
  listSources,
  type SearchSource,
  type SourceFile,
} from "./scope_sources.ts";
import { syncScope } from "./scope_sync.ts";
import { appendSharedFact, factLine, type SharedFact } from "./shared_facts.ts";
import type {
  MemoryHit,
  MemorySearchOptions,
  ReindexProgress,
  SearchOutcome,
} from "./memory_search_options.ts";

export type {
  MemoryHit,
  MemorySearchOptions,
  ReindexProgress,
  SearchOutcome,
} from "./memory_search_options.ts";
import { words } from "./_text.ts";

const MAX_QUERY_WORDS = 32;

/**
 * Memory search over a conversation's own scope plus the shared folder. Every method takes
 * the conversation from the caller (the runtime), never from what a model or a person typed:
 * a one-to-one chat reaches that person's files, a room the room's, and both the shared
 * folder; nothing reaches another conversation's database. Work on one scope runs one step
 * at a time; scopes are independent.
 */
export class MemorySearch {
  #options: MemorySearchOptions;
  #backend: IndexBackend;
  #queue = new KeyedQueue();
  #timers = new Map<Scope, ReturnType<typeof setTimeout>>();
  /** What each scope's index holds, as this process last wrote it (this process owns it). */
  #states = new Map<Scope, IndexedFile[]>();
  #sources: ReadonlySet<SearchSource>;
  #sharedDir: string;
  #indexDir: string;
  #contributors: Set<string>;
  #now: () => Date;
  #embedding: Embedding | undefined;
  #closed = false;

  constructor(options: MemorySearchOptions) {
    this.#options = options;
    this.#backend = options.backend;
    this.#sources = new Set(options.sources ?? ["memory", "sessions", "shared"]);
    this.#sharedDir = options.sharedDir ?? join(options.dataDir, "shared");
    this.#indexDir = options.indexDir ?? join(options.dataDir, "search");
    this.#contributors = new Set((options.contributors ?? []).map((jid) => normaliseJid(jid)));
    this.#now = options.now ?? (() => new Date());
    if (options.embedder !== undefined && options.backend.vectors) {
      this.#embedding = new Embedding(options.embedder, {
        warn: (message) => options.warn?.(message),
        now: () => this.#now().getTime(),
      });
    }
  }

  /** Whether vectors take part (an embedder, and a backend that holds them). */
  get hybrid(): boolean {
    return this.#embedding !== undefined;
  }

  /** Whether shared memory takes contributions at all. */
  get sharing(): boolean {
    return this.#contributors.size > 0;
  }

  /** Whether `jid` may add to shared memory. */
  isContributor(jid: string): boolean {
    try {
      return this.#contributors.has(normaliseJid(jid));
    } catch {
      return false;
    }
  }

  /**
   * Searches the conversation's memory and the shared folder. Files changed since the last
   * search (also by hand) are indexed first.
   *
   * @param conversation The conversation's bare JID, from the runtime.
   * @param query What to look for.
   * @param limit Results wanted (1 to 20).
   * @throws {TypeError} If the conversation is not a valid bare JID.
   */
  async search(conversation: string, query: string, limit = 5): Promise<SearchOutcome> {
    const scopes = this.#scopesOf(conversation);
    const wanted = words(query).slice(0, MAX_QUERY_WORDS);
    const { vector, note } = this.#embedding === undefined
      ? {}
      : await this.#embedding.query(query);
    const k = Math.max(12, limit * 3);
    const candidates: ScopedCandidate[] = [];
    for (const scope of scopes) {
      const found = await this.#queue.run(scope, async () => {
        // A conversation with no file and no index yet has nothing to find: no database is made.
        const files = this.#list(scope);
        if (files.length === 0 && !existsSync(indexFile(this.#indexDir, scope))) return [];
        await this.#refresh(scope, this.#options.embedBeforeSearch ?? 32, files);
        return await this.#backend.search(scope, {
          words: wanted,
          ...(vector === undefined ? {} : { vector }),
          k,
          hideRecent: scope === SHARED_SCOPE ? 0 : this.#options.hideRecent ?? 0,
        });
      });
      candidates.push(...found.map((candidate) => ({ ...candidate, scope })));
    }
    const ranked = fuse(candidates, {
      vectorWeight: this.#options.vectorWeight ?? 0.7,
      keywordWeight: this.#options.keywordWeight ?? 0.3,
      vectors: vector !== undefined,
      recencyWeight: this.#options.recencyWeight ?? 0.1,
      halfLifeDays: this.#options.recencyHalfLifeDays ?? 30,
      now: this.#now(),
      limit,
    });
    return { hits: ranked.map(toHit), ...(note === undefined ? {} : { note }) };
  }

  /**
   * Lines of one of the conversation's sources (or a shared one), by its exact name.
   *
   * @throws {MemoryAccessError} When no such source is in the caller's scopes.
   * @throws {RangeError} When `from` is past the end of the file.
   */
  async read(
    conversation: string,
    source: unknown,
    from = 1,
    lines = 40,
  ): Promise<MemoryExcerpt> {
    const name = checkSourceName(source);
    const scopes = this.#scopesOf(conversation);
    const scope = name.startsWith("shared/") ? SHARED_SCOPE : scopes[0]!;
    if (!scopes.includes(scope)) throw outsideScope(name);
    const file = this.#list(scope).find((candidate) => candidate.source === name);
    if (file === undefined) throw outsideScope(name);
    return await readExcerpt(file, from, lines);
  }

  /**
   * Adds a fact to shared memory, with who added it and the date.
   *
   * @param contributor The bare JID of who asks, from the runtime.
   * @throws {MemoryAccessError} When they are not in `memory.shared.contributors`.
   * @throws {RangeError} When the fact is empty or too long.
   */
  async share(contributor: string | undefined, fact: string): Promise<SharedFact> {
    if (contributor === undefined || !this.isContributor(contributor)) {
      throw new MemoryAccessError(
        "Only the contributors the operator lists (memory.shared.contributors) may add to " +
          "shared memory",
      );
    }
    const line = factLine(fact, normaliseJid(contributor), this.#now());
    const added = await this.#queue.run(
      SHARED_SCOPE,
      () => appendSharedFact(this.#sharedDir, line),
    );
    this.changed(SHARED_SCOPE);
    return added;
  }

  /**
   * Notes that a scope's files changed: it is indexed again in the background shortly after
   * (a search before then indexes it first anyway). Never throws.
   *
   * @param scope A conversation's bare JID, or {@linkcode SHARED_SCOPE}.
   */
  changed(scope: string): void {
    if (this.#closed) return;
    let key: Scope;
    try {
      key = scope === SHARED_SCOPE ? scope : normaliseJid(scope);
    } catch {
      return;
    }
    clearTimeout(this.#timers.get(key));
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        this.#queue.run(key, () => this.#refresh(key, Infinity)).catch((error) =>
          this.#options.warn?.(`Indexing ${key} failed: ${errorMessage(error)}`)
        );
      }, this.#options.refreshDelayMs ?? 1000),
    );
  }

  /**
   * What the memory store's `onChange` hook calls: an appended or archived session is
   * indexed again shortly (see {@linkcode changed}); a forgotten conversation's index is
   * removed at once, before any later search of it runs (see {@linkcode forget}). Never throws.
   */
  onMemoryChange(change: { jid: string; kind: "append" | "archive" | "forget" }): void {
    if (change.kind !== "forget") return this.changed(change.jid);
    this.forget(change.jid).catch((error) =>
      this.#options.warn?.(`Removing the index of ${change.jid} failed: ${errorMessage(error)}`)
    );
  }

  /**
   * Removes a conversation's index (`/forget`): its database is deleted, so nothing of the
   * erased files can be found; what is left (archived sessions) is indexed again at the next
   * search.
   */
  async forget(conversation: string): Promise<void> {
    const scope = normaliseJid(conversation);
    clearTimeout(this.#timers.get(scope));
    this.#timers.delete(scope);
    await this.#queue.run(scope, () => {
      this.#states.delete(scope);
      return this.#backend.drop(scope);
    });
  }

  /**
   * Rebuilds every scope's index from its files — each conversation folder in the data
   * directory, and the shared folder — keeping vectors already computed for unchanged text,
   * and deletes the indexes of conversations whose folders are gone.
   *
   * @param onProgress Told after each scope.
   * @returns How many scopes and chunks the index holds now.
   */
  async reindex(
    onProgress: (progress: ReindexProgress) => void = () => {},
  ): Promise<{ scopes: number; chunks: number }> {
    const conversations = listConversations(this.#options.dataDir);
    const present = new Set(conversations);
    for (const scope of listIndexedConversations(this.#indexDir)) {
      if (present.has(scope)) continue;
      await this.#queue.run(scope, () => {
        this.#states.delete(scope);
        return this.#backend.drop(scope);
      });
    }
    const scopes = this.#sources.has("shared") ? [...conversations, SHARED_SCOPE] : conversations;
    let chunks = 0;
    for (const [done, scope] of scopes.entries()) {
      await this.#queue.run(scope, async () => {
        this.#states.delete(scope);
        for (const file of await this.#backend.files(scope)) {
          await this.#backend.remove(scope, file.source);
        }
        await this.#refresh(scope, Infinity);
        chunks += await this.#backend.count(scope);
      });
      onProgress({ scope, done: done + 1, total: scopes.length, chunks });
    }
    return { scopes: scopes.length, chunks };
  }

  /** Stops background work and closes the index. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await this.#queue.idle();
    await this.#backend.close();
  }

  /** Indexes what changed in a scope, then embeds up to `embedBudget` chunks. */
  async #refresh(scope: Scope, embedBudget: number, files = this.#list(scope)): Promise<void> {
    const known = this.#states.get(scope);
    // Forgotten first: a sync that fails half-way leaves the index to be asked again.
    this.#states.delete(scope);
    const summary = await syncScope(this.#backend, scope, files, known ? { indexed: known } : {});
    this.#states.set(scope, summary.state);
    if (summary.indexed.length + summary.removed.length > 0) await this.#backend.prune(scope);
    for (const { source, reason } of summary.skipped) {
      this.#options.warn?.(`Not indexed: ${source} of ${scope}: ${reason}`);
    }
    // Over budget: the rest is embedded in the background, not before this answer.
    if (await this.#embedding?.fill(this.#backend, scope, embedBudget)) this.changed(scope);
  }

  #list(scope: Scope): SourceFile[] {
    return listSources(scope, {
      dataDir: this.#options.dataDir,
      sharedDir: this.#sharedDir,
      sources: this.#sources,
    });
  }

  /** The conversation's own scope, then the shared one when it is searched. */
  #scopesOf(conversation: string): Scope[] {
    const own = normaliseJid(conversation);
    return this.#sources.has("shared") ? [own, SHARED_SCOPE] : [own];
  }
}

function toHit(hit: RankedHit): MemoryHit {
  return {
    source: hit.source,
    lineFrom: hit.lineFrom,
    lineTo: hit.lineTo,
    date: hit.date,
    text: hit.text,
    score: Math.round(hit.score * 1000) / 1000,
    shared: hit.scope === SHARED_SCOPE,
  };
}

export { MemoryAccessError };
