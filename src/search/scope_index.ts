/**
 * The index of one scope (one conversation, or the shared folder) in one SQLite database:
 * its chunks with FTS5 for keywords and, when vectors are on, sqlite-vec's `vec0` table (see
 * `VectorStore`). One database per scope is the isolation: a query on this file cannot reach
 * another scope's rows. Used in the agent process for keyword-only search (no extension
 * loaded, no FFI) and in the index process when vectors are on.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { Chunk } from "./chunk.ts";
import type { Candidate, IndexedFile, SearchRequest } from "./index_backend.ts";
import { type Row, Sql } from "./_sql.ts";
import { cosine, VectorStore } from "./_vector_store.ts";
import { keywordMatches } from "./_keyword_query.ts";

/** Bumped when the layout changes: an older database is rebuilt from the files. */
const SCHEMA_VERSION = "1";

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

/**
 * One scope's index over an open database. Synchronous (node:sqlite): callers keep each
 * call small (the indexer sends batches), so that no call holds the event loop for long.
 */
export class ScopeIndex {
  #sql: Sql;
  #vectors: VectorStore | undefined;
  /** The number of chunks, counted when a search needs it after a change. */
  #chunks: number | undefined;

  /**
   * Prepares the schema (creating it, or rebuilding an older one).
   *
   * @param db An open database: with sqlite-vec loaded when `vectorModel` is given. One that
   * holds vectors cannot be used without the extension (see {@linkcode holdsVectors}).
   */
  constructor(db: DatabaseSync, options: ScopeIndexOptions = {}) {
    const sql = this.#sql = new Sql(db);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    // Searches read through the page cache of the system, not a copy per query.
    db.exec("PRAGMA mmap_size = 268435456;");
    // Removed text is overwritten on disk, not left in free pages.
    db.exec("PRAGMA secure_delete = ON;");
    db.exec(SCHEMA);
    const version = sql.get("SELECT value FROM meta WHERE key = 'schema'")?.value;
    if (version !== undefined && version !== SCHEMA_VERSION) {
      db.exec(`DROP TABLE chunks_fts; DROP TABLE chunks; DROP TABLE files;
        DROP TABLE vector_cache; DROP TABLE IF EXISTS chunk_bits; DROP TABLE IF EXISTS chunk_vectors;
        DELETE FROM meta;`);
      db.exec(SCHEMA);
    }
    sql.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?)", SCHEMA_VERSION);
    if (options.vectorModel !== undefined) {
      this.#vectors = new VectorStore(
        sql,
        options.vectorModel,
        () => sql.run("UPDATE chunks SET embedded = 0"),
      );
    }
  }

  /**
   * Whether a database holds a vector table (made by the index process): keyword-only search
   * cannot open that table without the extension, so it rebuilds such a database.
   */
  static holdsVectors(db: DatabaseSync): boolean {
    return db.prepare(
      "SELECT 1 FROM sqlite_master WHERE name IN ('chunk_bits', 'chunk_vectors')",
    ).get() !== undefined;
  }

  /** Closes the database. */
  close(): void {
    this.#sql.close();
  }

  /** The sources indexed, with the state they were indexed in. */
  files(): IndexedFile[] {
    return this.#sql.all("SELECT * FROM files ORDER BY source").map((row) => ({
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
    return Number(this.#sql.get("SELECT count(*) AS n FROM chunks")?.n ?? 0);
  }

  #chunkCount(): number {
    return this.#chunks ??= this.count();
  }

  /**
   * Starts re-indexing a source: forgets its indexed state and removes its chunks from line
   * `fromLine` on (all of them for 0). Until {@linkcode commit}, the source counts as not
   * indexed, so an interrupted run is redone from scratch.
   */
  begin(source: string, fromLine: number): void {
    this.#chunks = undefined;
    this.#sql.transaction(() => {
      this.#sql.run("DELETE FROM files WHERE source = ?", source);
      this.#vectors?.retire(this.#sql.all(
        "SELECT id, hash FROM chunks WHERE source = ? AND line_from >= ? AND embedded = 1",
        source,
        fromLine,
      ));
      this.#sql.run("DELETE FROM chunks WHERE source = ? AND line_from >= ?", source, fromLine);
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
    this.#chunks = undefined;
    this.#sql.transaction(() => {
      for (const chunk of chunks) {
        const hash = textHash(chunk.text);
        const vector = this.#vectors?.known(hash);
        const { lastInsertRowid } = this.#sql.run(
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
        if (vector !== undefined) this.#vectors!.insert(BigInt(lastInsertRowid), vector);
      }
    });
  }

  /** Records that a source is indexed as `file` says. */
  commit(file: IndexedFile): void {
    this.#sql.run(
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
  }

  /** Trims the vector cache once a sync is over. */
  prune(): void {
    if (this.#vectors !== undefined) this.#sql.transaction(() => this.#vectors!.prune());
  }

  /** Chunks that have no vector yet, oldest first. */
  missingVectors(limit: number): { id: number; text: string }[] {
    if (this.#vectors === undefined) return [];
    return this.#sql.all(
      "SELECT id, text FROM chunks WHERE embedded = 0 ORDER BY id LIMIT ?",
      limit,
    )
      .map((row) => ({ id: Number(row.id), text: String(row.text) }));
  }

  /**
   * Stores the vectors of chunks (those removed meanwhile are skipped).
   *
   * @throws {RangeError} When vectors are off, or a vector's length differs from the
   * scope's (the model changed its dimensions).
   */
  setVectors(items: readonly { id: number; vector: Float32Array }[]): void {
    const vectors = this.#vectors;
    if (vectors === undefined) throw new RangeError("This index holds no vectors");
    this.#sql.transaction(() => {
      for (const { id, vector } of items) {
        const row = this.#sql.get("SELECT embedded FROM chunks WHERE id = ?", id);
        if (row === undefined || row.embedded === 1) continue;
        vectors.insert(BigInt(id), vector);
        this.#sql.run("UPDATE chunks SET embedded = 1 WHERE id = ?", id);
      }
    });
  }

  /**
   * The best candidates for a query: up to `k` by keywords (BM25) and up to `k` more by
   * vector (cosine), each with both scores where known. Chunks of a current session among
   * its last `hideRecent` messages are left out (the prompt shows them already).
   */
  search(request: SearchRequest): Candidate[] {
    const found = new Map<number, Candidate>();
    const slack = request.k + Math.ceil(request.hideRecent / 2) + 8;
    const visible = this.#visibility(request.hideRecent);
    for (const match of keywordMatches(this.#sql, request.words, slack, this.#chunkCount())) {
      if (found.size >= request.k) break;
      const candidate = this.#candidate(match.id, visible);
      if (candidate === undefined) continue;
      candidate.bm25 = match.bm25;
      found.set(candidate.id, candidate);
    }
    const vectors = this.#vectors;
    if (request.vector === undefined || vectors === undefined) return [...found.values()];
    let added = 0;
    for (const { id, cosine } of vectors.nearest(request.vector, slack)) {
      const known = found.get(id);
      if (known !== undefined) {
        known.cosine = cosine;
        continue;
      }
      if (added >= request.k) continue;
      const candidate = this.#candidate(id, visible);
      if (candidate === undefined) continue;
      candidate.cosine = cosine;
      found.set(id, candidate);
      added++;
    }
    for (const candidate of found.values()) {
      if (candidate.cosine !== undefined) continue;
      const vector = vectors.of(BigInt(candidate.id));
      if (vector !== undefined) candidate.cosine = cosine(vector, request.vector);
    }
    return [...found.values()];
  }

  #candidate(id: number, visible: (row: Row) => boolean): Candidate | undefined {
    const row = this.#sql.get(
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
    for (const row of this.#sql.all("SELECT source, messages FROM files WHERE current = 1")) {
      limits.set(String(row.source), Number(row.messages) - hideRecent);
    }
    return (row) => {
      const limit = limits.get(String(row.source));
      return limit === undefined || Number(row.seq_from) < limit;
    };
  }
}

/** The content hash chunks are known by (vectors are cached under it with the model). */
export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
