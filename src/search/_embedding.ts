/**
 * The embedder as search uses it: the query's vector within a short deadline, the vectors of
 * new chunks in batches, and a pause after a failure, so that an embedder that is down or
 * hanging costs one wait, not one per search, and search goes on by keywords meanwhile.
 *
 * @module
 */
import { errorMessage } from "../log/mod.ts";
import type { Embedder } from "./embedder.ts";
import type { IndexBackend, Scope } from "./index_backend.ts";

/** How long a query waits for its embedding. */
const QUERY_TIMEOUT_MS = 10_000;
/** How long vector search pauses after the embedder failed. */
const PAUSE_MS = 60_000;
/** Chunks per embedding request. */
const BATCH = 32;

/** The embedder with its pause. */
export class Embedding {
  #embedder: Embedder;
  #warn: (message: string) => void;
  #now: () => number;
  #pausedUntil = 0;

  constructor(embedder: Embedder, options: { warn: (message: string) => void; now: () => number }) {
    this.#embedder = embedder;
    this.#warn = options.warn;
    this.#now = options.now;
  }

  /** The query's vector, or why there is none (then search goes by keywords). */
  async query(text: string): Promise<{ vector?: Float32Array; note?: string }> {
    if (this.#paused()) {
      return { note: "Vector search is paused after the embedder failed: keywords only" };
    }
    try {
      const [vector] = await this.#embedder.embed([text], AbortSignal.timeout(QUERY_TIMEOUT_MS));
      return vector === undefined ? {} : { vector };
    } catch (error) {
      this.#failed(error);
      return { note: "Vector search was unavailable (the embedder failed): keywords only" };
    }
  }

  /**
   * Embeds up to `budget` chunks of a scope that have no vector yet.
   *
   * @returns Whether some are left (over budget; not when the embedder failed).
   */
  async fill(backend: IndexBackend, scope: Scope, budget: number): Promise<boolean> {
    let done = 0;
    while (done < budget && !this.#paused()) {
      const missing = await backend.missingVectors(scope, Math.min(BATCH, budget - done));
      if (missing.length === 0) return false;
      let vectors: Float32Array[];
      try {
        vectors = await this.#embedder.embed(missing.map((chunk) => chunk.text));
      } catch (error) {
        this.#failed(error);
        return false;
      }
      await backend.setVectors(
        scope,
        missing.map((chunk, i) => ({ id: chunk.id, vector: vectors[i]! })),
      );
      done += missing.length;
    }
    return done >= budget;
  }

  #paused(): boolean {
    return this.#now() < this.#pausedUntil;
  }

  #failed(error: unknown): void {
    this.#pausedUntil = this.#now() + PAUSE_MS;
    const why = errorMessage(error);
    this.#warn(`The embedder failed (${why}); vector search pauses for ${PAUSE_MS / 1000} s`);
  }
}
