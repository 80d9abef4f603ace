/**
 * The index of one scope (one conversation, or the shared folder) in one SQLite database:
 * its chunks with FTS5 for keywords and, when vectors are on, a `vec0` table of sqlite-vec
 * for embeddings. One database per scope is the isolation: a query on this file cannot
 * reach another scope's rows. Used in the agent process for keyword-only search (no
 * extension loaded, no FFI) and in the index process when vectors are on.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Chunk } from "./chunk.ts";
import type { Candidate, IndexedFile, SearchRequest } from "./index_backend.ts";

/** Bumped when the layout changes: an older database is rebuilt from the files. */
const SCHEMA_VERSION = "1";
/** Vectors of removed chunks kept for re-use (a moved or re-edited text is not re-embedded). */
const CACHE_KEEP = 5000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
  source TEXT PRIMARY KEY, mtime REAL NOT NULL, size INTEGER NOT NULL, head TEXT NOT NULL,
  messages INTEGER NOT NULL, current INTEGER NOT NULL,
  resume_line INTEGER, resume_byte INTEGER, resume_seq INTEGER);
CREATE TABLE IF NOT EXISTS chunks(
  id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL,
  line_from INTEGER NOT NULL, line_to INTEGER NOT NULL, byte_from INTEGER NOT NULL,
  seq_from INTEGER NOT NULL, seq_to INTEGER NOT NULL, date TEXT NOT NULL,
  hash TEXT NOT NULL, text TEXT NOT NULL, embedded INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source, line_from);
CREATE INDEX IF NOT EXISTS chunks_hash ON chunks(hash);
CREATE INDEX IF NOT EXISTS chunks_unembedded ON chunks(embedded) WHERE embedded = 0;
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  text, content='chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS chunks_added AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_removed AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE IF NOT EXISTS vector_cache(
  hash TEXT NOT NULL, model TEXT NOT NULL, vector BLOB NOT NULL, used INTEGER NOT NULL,
  PRIMARY KEY (hash, model));
`;

/** Options of {@linkcode ScopeIndex}. */
export interface ScopeIndexOptions {
  /**
   * The embedding model whose vectors this database holds, when the sqlite-vec extension is
   * loaded into it; absent for keyword-only search.
   * @default {undefined}
   */
  vectorModel?: string;
}

type Row = Record<string, unknown>;

/**
 * One scope's index over an open database. Synchronous (node:sqlite): callers keep each
 * call small (see the indexer's batches) so that no call holds the event loop for long.
 */
export class ScopeIndex {
  #db: DatabaseSync;
  #model: string | undefined;
  #statements = new Map<string, StatementSync>();
  #dims: number | undefined;

  /**
   * Prepares the schema (creating or rebuilding it).
   *
   * @param db An open database: with sqlite-vec loaded when `vectorModel` is given.
   * @throws {Error} When the database holds vectors but was opened without the extension
   * (see {@linkcode ScopeIndex.holdsVectors}: the caller rebuilds it).
   */
  constructor(db: DatabaseSync, options: ScopeIndexOptions = {}) {
    this.#db = db;
    this.#model = options.vectorModel;
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    // Removed text is overwritten on disk, not left in free pages.
    db.exec("PRAGMA secure_delete = ON; PRAGMA busy_timeout = 5000;");
    db.exec(SCHEMA);
    const version = this.#meta("schema");
    if (version !== undefined && version !== SCHEMA_VERSION) this.#clear();
    this.#setMeta("schema", SCHEMA_VERSION);
    const dims = this.#meta("vector_dims");
    this.#dims = dims === undefined ? undefined : Number(dims);
    if (this.#model !== undefined) this.#checkModel(this.#model);
  }

  /**
   * Whether a database holds a vector table (made by the index process): keyword-only search
   * cannot open that table without the extension, so it rebuilds such a database.
   */
  static holdsVectors(db: DatabaseSync): boolean {
    const row = db.prepare(
      "SELECT 1 AS found FROM sqlite_master WHERE name = 'chunk_vectors'",
    ).get();
    return row !== undefined;
  }

  /** Closes the database. */
  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  /** The sources indexed, with the state they were indexed in. */
  files(): IndexedFile[] {
    return this.#all("SELECT * FROM files ORDER BY source").map((row) => ({
      source: String(row.source),
      mtimeMs: Number(row.mtime),
      size: Number(row.size),
      head: String(row.head),
      messages: Number(row.messages),
      current: row.current === 1,
      ...(row.resume_line === null ? {} : {
        resume: {
          line: Number(row.resume_line),
          byte: Number(row.resume_byte),
          seq: Number(row.resume_seq),
        },
      }),
    }));
  }

  /** How many chunks the scope holds. */
  count(): number {
    return Number(this.#get("SELECT count(*) AS n FROM chunks")?.n ?? 0);
  }

  /**
   * Starts re-indexing a source: forgets its indexed state and removes its chunks from line
   * `fromLine` on (all of them for 0). Until {@linkcode commit}, the source counts as not
   * indexed, so an interrupted run is redone from scratch.
   */
  begin(source: string, fromLine: number): void {
    this.#transaction(() => {
      this.#run("DELETE FROM files WHERE source = ?", source);
      this.#removeChunks(source, fromLine);
    });
  }

  /** Removes a source that no longer exists. */
  remove(source: string): void {
    this.begin(source, 0);
  }

  /**
   * Adds chunks of a source (after {@linkcode begin}). A chunk whose text was embedded
   * before, in this scope and with this model, gets that vector again: only new text needs
   * the embedder (see {@linkcode missingVectors}).
   */
  add(source: string, chunks: readonly Chunk[]): void {
    this.#transaction(() => {
      for (const chunk of chunks) {
        const hash = textHash(chunk.text);
        const vector = this.#model === undefined ? undefined : this.#knownVector(hash);
        const { lastInsertRowid } = this.#run(
          `INSERT INTO chunks(source, line_from, line_to, byte_from, seq_from, seq_to, date, hash,
           text, embedded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          source,
          chunk.lineFrom,
          chunk.lineTo,
          chunk.byteFrom,
          chunk.seqFrom,
          chunk.seqTo,
          chunk.date,
          hash,
          chunk.text,
          vector === undefined ? 0 : 1,
        );
        if (vector !== undefined) this.#insertVector(BigInt(lastInsertRowid), vector);
      }
    });
  }

  /** Records that a source is indexed as `file` says. */
  commit(file: IndexedFile): void {
    this.#transaction(() => {
      this.#run(
        `INSERT OR REPLACE INTO files(source, mtime, size, head, messages, current, resume_line,
         resume_byte, resume_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        file.source,
        file.mtimeMs,
        file.size,
        file.head,
        file.messages,
        file.current ? 1 : 0,
        file.resume?.line ?? null,
        file.resume?.byte ?? null,
        file.resume?.seq ?? null,
      );
    });
  }

  /**
   * Trims the vector cache once a sync is over: vectors that live chunks hold again are
   * dropped from it, and of the others the most recently used are kept.
   */
  prune(): void {
    this.#transaction(() => {
      this.#run(
        "DELETE FROM vector_cache WHERE hash IN (SELECT hash FROM chunks WHERE embedded = 1)",
      );
      const count = Number(this.#get("SELECT count(*) AS n FROM vector_cache")?.n ?? 0);
      if (count <= CACHE_KEEP) return;
      this.#run(
        `DELETE FROM vector_cache WHERE rowid IN
         (SELECT rowid FROM vector_cache ORDER BY used ASC LIMIT ?)`,
        count - CACHE_KEEP,
      );
    });
  }

  /** Chunks that have no vector yet, oldest first. */
  missingVectors(limit: number): { id: number; text: string }[] {
    if (this.#model === undefined) return [];
    return this.#all(
      "SELECT id, text FROM chunks WHERE embedded = 0 ORDER BY id LIMIT ?",
      limit,
    ).map((row) => ({ id: Number(row.id), text: String(row.text) }));
  }

  /**
   * Stores the vectors of chunks (those that were removed meanwhile are skipped).
   *
   * @throws {RangeError} When vectors are off, or a vector's length differs from the
   * scope's (the model changed its dimensions).
   */
  setVectors(items: readonly { id: number; vector: Float32Array }[]): void {
    if (this.#model === undefined) throw new RangeError("This index holds no vectors");
    this.#transaction(() => {
      for (const { id, vector } of items) {
        const row = this.#get("SELECT embedded FROM chunks WHERE id = ?", id);
        if (row === undefined || row.embedded === 1) continue;
        this.#insertVector(BigInt(id), vector);
        this.#run("UPDATE chunks SET embedded = 1 WHERE id = ?", id);
      }
    });
  }

  /**
   * The best candidates for a query: up to `k` by keywords (BM25) and up to `k` by vector
   * (cosine), each with both scores where known. Chunks of a current session among its
   * last `hideRecent` messages are left out (the prompt shows them already).
   */
  search(request: SearchRequest): Candidate[] {
    const found = new Map<number, Candidate>();
    const slack = request.k + Math.ceil(request.hideRecent / 2) + 8;
    const visible = this.#visibility(request.hideRecent);
    if (request.words.length > 0) {
      const match = request.words.map((word) => `"${word.replaceAll('"', '""')}"`).join(" OR ");
      const rows = this.#all(
        "SELECT rowid AS id, rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
        match,
        slack,
      );
      for (const row of rows) {
        const candidate = this.#candidate(Number(row.id), visible);
        if (candidate === undefined) continue;
        candidate.bm25 = -Number(row.rank);
        found.set(candidate.id, candidate);
        if (found.size >= request.k) break;
      }
    }
    if (request.vector !== undefined && this.#dims === request.vector.length) {
      const rows = this.#all(
        "SELECT rowid AS id, distance FROM chunk_vectors WHERE embedding MATCH ? AND k = ?",
        request.vector,
        slack,
      );
      let added = 0;
      for (const row of rows) {
        const id = Number(row.id);
        const candidate = found.get(id) ?? this.#candidate(id, visible);
        if (candidate === undefined) continue;
        candidate.cosine = 1 - Number(row.distance);
        if (!found.has(id)) {
          found.set(id, candidate);
          if (++added >= request.k) break;
        }
      }
      for (const candidate of found.values()) {
        if (candidate.cosine !== undefined) continue;
        const vector = this.#vectorOf(BigInt(candidate.id));
        if (vector !== undefined) candidate.cosine = cosine(vector, request.vector);
      }
    }
    return [...found.values()];
  }

  #candidate(id: number, visible: (row: Row) => boolean): Candidate | undefined {
    const row = this.#get(
      "SELECT id, source, line_from, line_to, seq_from, date, hash, text FROM chunks WHERE id = ?",
      id,
    );
    if (row === undefined || !visible(row)) return undefined;
    return {
      id,
      source: String(row.source),
      lineFrom: Number(row.line_from),
      lineTo: Number(row.line_to),
      date: String(row.date),
      hash: String(row.hash),
      text: String(row.text),
    };
  }

  /** Which chunks a search may show: none of a current session's last `hideRecent` messages. */
  #visibility(hideRecent: number): (row: Row) => boolean {
    if (hideRecent <= 0) return () => true;
    const limits = new Map<string, number>();
    for (const row of this.#all("SELECT source, messages FROM files WHERE current = 1")) {
      limits.set(String(row.source), Number(row.messages) - hideRecent);
    }
    return (row) => {
      const limit = limits.get(String(row.source));
      return limit === undefined || Number(row.seq_from) < limit;
    };
  }

  /** Removes chunks from `fromLine` on, keeping their vectors in the cache. */
  #removeChunks(source: string, fromLine: number): void {
    if (this.#model !== undefined && this.#dims !== undefined) {
      const rows = this.#all(
        "SELECT id, hash FROM chunks WHERE source = ? AND line_from >= ? AND embedded = 1",
        source,
        fromLine,
      );
      const now = Date.now();
      for (const row of rows) {
        const id = BigInt(Number(row.id));
        const vector = this.#vectorOf(id);
        if (vector !== undefined) {
          this.#run(
            "INSERT OR REPLACE INTO vector_cache(hash, model, vector, used) VALUES (?, ?, ?, ?)",
            String(row.hash),
            this.#model,
            new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
            now,
          );
        }
        this.#run("DELETE FROM chunk_vectors WHERE rowid = ?", id);
      }
    }
    this.#run("DELETE FROM chunks WHERE source = ? AND line_from >= ?", source, fromLine);
  }

  /** A vector already computed for this text: a live chunk's, else the cache's. */
  #knownVector(hash: string): Float32Array | undefined {
    if (this.#dims === undefined) return undefined;
    const live = this.#get("SELECT id FROM chunks WHERE hash = ? AND embedded = 1 LIMIT 1", hash);
    if (live !== undefined) {
      const vector = this.#vectorOf(BigInt(Number(live.id)));
      if (vector !== undefined) return vector;
    }
    const cached = this.#get(
      "SELECT vector FROM vector_cache WHERE hash = ? AND model = ?",
      hash,
      this.#model!,
    );
    if (cached === undefined) return undefined;
    this.#run(
      "UPDATE vector_cache SET used = ? WHERE hash = ? AND model = ?",
      Date.now(),
      hash,
      this.#model!,
    );
    return floats(cached.vector);
  }

  #vectorOf(id: bigint): Float32Array | undefined {
    if (this.#dims === undefined) return undefined;
    const row = this.#get("SELECT embedding FROM chunk_vectors WHERE rowid = ?", id);
    return row === undefined ? undefined : floats(row.embedding);
  }

  #insertVector(id: bigint, vector: Float32Array): void {
    if (this.#dims === undefined) {
      if (!Number.isInteger(vector.length) || vector.length < 1 || vector.length > 8192) {
        throw new RangeError(`Invalid vector length ${vector.length}`);
      }
      this.#db.exec(
        `CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vectors USING vec0(` +
          `embedding float[${vector.length}] distance_metric=cosine)`,
      );
      this.#dims = vector.length;
      this.#setMeta("vector_dims", String(vector.length));
    } else if (vector.length !== this.#dims) {
      throw new RangeError(
        `The embedder returned vectors of ${vector.length} dimensions, the index holds ` +
          `${this.#dims}: run "reindex" after changing the model`,
      );
    }
    this.#run("INSERT INTO chunk_vectors(rowid, embedding) VALUES (?, ?)", id, vector);
  }

  /** Another model's vectors are useless here: dropped, and every chunk embedded again. */
  #checkModel(model: string): void {
    const previous = this.#meta("vector_model");
    if (previous === model) return;
    this.#transaction(() => {
      if (this.#dims !== undefined) this.#db.exec("DROP TABLE IF EXISTS chunk_vectors");
      this.#run("DELETE FROM meta WHERE key = 'vector_dims'");
      this.#run("DELETE FROM vector_cache WHERE model <> ?", model);
      this.#run("UPDATE chunks SET embedded = 0");
      this.#setMeta("vector_model", model);
    });
    this.#dims = undefined;
  }

  #clear(): void {
    this.#db.exec(`
      DROP TABLE IF EXISTS chunks_fts; DROP TABLE IF EXISTS chunks; DROP TABLE IF EXISTS files;
      DROP TABLE IF EXISTS vector_cache; DELETE FROM meta;`);
    if (this.#model !== undefined) this.#db.exec("DROP TABLE IF EXISTS chunk_vectors");
    this.#db.exec(SCHEMA);
  }

  #meta(key: string): string | undefined {
    const row = this.#get("SELECT value FROM meta WHERE key = ?", key);
    return row === undefined ? undefined : String(row.value);
  }

  #setMeta(key: string, value: string): void {
    this.#run("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", key, value);
  }

  #transaction(work: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  // deno-lint-ignore no-explicit-any
  #run(sql: string, ...params: any[]) {
    return this.#statement(sql).run(...params);
  }

  // deno-lint-ignore no-explicit-any
  #get(sql: string, ...params: any[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  // deno-lint-ignore no-explicit-any
  #all(sql: string, ...params: any[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }
}

/** The content hash chunks are known by (vectors are cached under it with the model). */
export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

function floats(blob: unknown): Float32Array {
  const bytes = blob as Uint8Array;
  // A copy: the blob's buffer may be shared or unaligned.
  return new Float32Array(bytes.slice().buffer);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
