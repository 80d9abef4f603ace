/**
 * The vectors of one scope's chunks: each float vector in a plain table (exact scores), its
 * sign bits in sqlite-vec's `vec0` table `chunk_bits` (a nearest-neighbour scan that reads
 * 96 bytes per chunk instead of 3 KB for 768 dimensions), and a cache of the vectors of
 * removed chunks keyed by content hash and model, so that text seen before (an archived
 * session, a re-edited note) is never embedded twice.
 *
 * A search takes the chunks nearest by Hamming distance on the bits, at least
 * {@linkcode OVERSAMPLE} of them (all of a small scope, so there it is exact), and ranks them
 * by the exact cosine of their float vectors.
 *
 * @module
 */
import type { Row, Sql } from "./_sql.ts";

/** Vectors of removed chunks kept for re-use. */
const CACHE_KEEP = 5000;
/** Longest vector accepted. */
const MAX_DIMENSIONS = 8192;
/** Candidates the coarse scan gives for exact ranking: at least this many, or 3 per result. */
export const OVERSAMPLE = 100;

/** One scope's vectors; the database must have sqlite-vec loaded. */
export class VectorStore {
  #sql: Sql;
  #model: string;
  #dims: number | undefined;

  /**
   * Another model's vectors are useless here: when the model changed they are dropped and
   * `resetEmbedded` marks every chunk as needing a vector again.
   */
  constructor(sql: Sql, model: string, resetEmbedded: () => void) {
    this.#sql = sql;
    this.#model = model;
    const dims = this.#meta("vector_dims");
    this.#dims = dims === undefined ? undefined : Number(dims);
    if (this.#meta("vector_model") === model) return;
    sql.transaction(() => {
      sql.db.exec("DROP TABLE IF EXISTS chunk_bits; DROP TABLE IF EXISTS chunk_vectors;");
      sql.run("DELETE FROM meta WHERE key = 'vector_dims'");
      sql.run("DELETE FROM vector_cache WHERE model <> ?", model);
      resetEmbedded();
      sql.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('vector_model', ?)", model);
    });
    this.#dims = undefined;
  }

  /** The vectors' length, once the first is stored. */
  get dimensions(): number | undefined {
    return this.#dims;
  }

  /**
   * Stores a chunk's vector, creating the table with the first vector's length.
   *
   * @throws {RangeError} When its length differs from the stored vectors'.
   */
  insert(id: bigint, vector: Float32Array): void {
    if (this.#dims === undefined) {
      if (vector.length < 1 || vector.length > MAX_DIMENSIONS) {
        throw new RangeError(`Invalid vector length ${vector.length}`);
      }
      this.#sql.db.exec(
        `CREATE TABLE IF NOT EXISTS chunk_vectors(id INTEGER PRIMARY KEY, vector BLOB NOT NULL);
         CREATE VIRTUAL TABLE IF NOT EXISTS chunk_bits USING vec0(bits bit[${
          padded(vector.length)
        }]);`,
      );
      this.#dims = vector.length;
      this.#sql.run(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('vector_dims', ?)",
        String(vector.length),
      );
    } else if (vector.length !== this.#dims) {
      throw new RangeError(
        `The embedder returned vectors of ${vector.length} dimensions, the index holds ` +
          `${this.#dims}: run "reindex" after changing the model`,
      );
    }
    this.#sql.run("INSERT INTO chunk_vectors(id, vector) VALUES (?, ?)", id, bytesOf(vector));
    this.#sql.run(
      "INSERT INTO chunk_bits(rowid, bits) VALUES (?, vec_quantize_binary(?))",
      id,
      pad(vector),
    );
  }

  /** A chunk's vector. */
  of(id: bigint): Float32Array | undefined {
    if (this.#dims === undefined) return undefined;
    const row = this.#sql.get("SELECT vector FROM chunk_vectors WHERE id = ?", id);
    return row === undefined ? undefined : floats(row.vector);
  }

  /** Removes chunks' vectors, keeping each in the cache under its text's hash. */
  retire(rows: readonly Row[]): void {
    if (this.#dims === undefined) return;
    const now = Date.now();
    for (const row of rows) {
      const id = BigInt(Number(row.id));
      const vector = this.of(id);
      if (vector !== undefined) {
        this.#sql.run(
          "INSERT OR REPLACE INTO vector_cache(hash, model, vector, used) VALUES (?, ?, ?, ?)",
          String(row.hash),
          this.#model,
          bytesOf(vector),
          now,
        );
      }
      this.#sql.run("DELETE FROM chunk_vectors WHERE id = ?", id);
      this.#sql.run("DELETE FROM chunk_bits WHERE rowid = ?", id);
    }
  }

  /** A vector already computed for this text: a live chunk's, else the cache's. */
  known(hash: string): Float32Array | undefined {
    if (this.#dims === undefined) return undefined;
    const live = this.#sql.get(
      "SELECT id FROM chunks WHERE hash = ? AND embedded = 1 LIMIT 1",
      hash,
    );
    const vector = live === undefined ? undefined : this.of(BigInt(Number(live.id)));
    if (vector !== undefined) return vector;
    const cached = this.#sql.get(
      "SELECT vector FROM vector_cache WHERE hash = ? AND model = ?",
      hash,
      this.#model,
    );
    if (cached === undefined) return undefined;
    this.#sql.run(
      "UPDATE vector_cache SET used = ? WHERE hash = ? AND model = ?",
      Date.now(),
      hash,
      this.#model,
    );
    return floats(cached.vector);
  }

  /**
   * The `k` nearest chunks by cosine similarity: the coarse scan's best (by sign bits), ranked
   * by their exact cosine.
   */
  nearest(vector: Float32Array, k: number): { id: number; cosine: number }[] {
    if (this.#dims !== vector.length) return [];
    const coarse = this.#sql.all(
      "SELECT rowid AS id FROM chunk_bits WHERE bits MATCH vec_quantize_binary(?) AND k = ?",
      pad(vector),
      Math.max(OVERSAMPLE, 3 * k),
    );
    const scored: { id: number; cosine: number }[] = [];
    for (const row of coarse) {
      const id = Number(row.id);
      const exact = this.of(BigInt(id));
      if (exact !== undefined) scored.push({ id, cosine: cosine(exact, vector) });
    }
    return scored.sort((a, b) => b.cosine - a.cosine).slice(0, k);
  }

  /**
   * Trims the cache once a sync is over: vectors live chunks hold again leave it, and of the
   * others the most recently used are kept.
   */
  prune(): void {
    this.#sql.run(
      "DELETE FROM vector_cache WHERE hash IN (SELECT hash FROM chunks WHERE embedded = 1)",
    );
    const count = Number(this.#sql.get("SELECT count(*) AS n FROM vector_cache")?.n ?? 0);
    if (count <= CACHE_KEEP) return;
    this.#sql.run(
      `DELETE FROM vector_cache WHERE rowid IN
       (SELECT rowid FROM vector_cache ORDER BY used ASC LIMIT ?)`,
      count - CACHE_KEEP,
    );
  }

  #meta(key: string): string | undefined {
    const row = this.#sql.get("SELECT value FROM meta WHERE key = ?", key);
    return row === undefined ? undefined : String(row.value);
  }
}

/** The cosine similarity of two vectors of the same length. */
export function cosine(a: Float32Array, b: Float32Array): number {
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

/** Bit vectors are whole bytes: a length rounded up to a multiple of 8. */
function padded(length: number): number {
  return Math.ceil(length / 8) * 8;
}

/** The vector with zeros up to {@linkcode padded} length (their sign bits are 0). */
function pad(vector: Float32Array): Float32Array {
  if (vector.length % 8 === 0) return vector;
  const longer = new Float32Array(padded(vector.length));
  longer.set(vector);
  return longer;
}

function bytesOf(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

function floats(blob: unknown): Float32Array {
  // A copy: the blob's buffer may be shared or unaligned.
  return new Float32Array((blob as Uint8Array).slice().buffer);
}
