/**
 * Hybrid ranking: normalised BM25 and cosine similarity fused with weights, a preference for
 * recent chunks, and near-duplicates collapsed so that the same text found in several places
 * (a fact repeated across sessions, overlapping chunks) takes one result.
 *
 * @module
 */
import type { Candidate } from "./index_backend.ts";
import { words } from "./_text.ts";

/** A candidate with the scope it came from. */
export interface ScopedCandidate extends Candidate {
  scope: string;
}

/** A ranked result. */
export interface RankedHit extends ScopedCandidate {
  /** The final score, from 0 to 1. */
  score: number;
}

/** Options of {@linkcode fuse}. */
export interface FuseOptions {
  /** How much the vector similarity counts (used when candidates carry one). */
  vectorWeight: number;
  /** How much the keyword score counts. */
  keywordWeight: number;
  /** Whether vector scores are in play (an embedder and the query's vector). */
  vectors: boolean;
  /**
   * The share of the score that depends on age: 0 ignores dates, 1 ranks by age alone.
   * @default {0}
   */
  recencyWeight?: number;
  /** The age at which the recency part halves, in days. @default {30} */
  halfLifeDays?: number;
  /** The current time. */
  now: Date;
  /** Results wanted. */
  limit: number;
  /** Two results whose words overlap this much (Jaccard) are one. @default {0.8} */
  duplicateSimilarity?: number;
}

const DAY_MS = 86_400_000;

/**
 * Ranks candidates from one or several scopes. The keyword score is BM25 divided by the
 * best BM25 among the candidates (so the best keyword match scores 1 and others keep their
 * proportion); the vector score is the cosine similarity, negatives counted as 0. Without
 * vectors the keyword score is the whole relevance. Relevance is then multiplied by
 * `1 - r + r · 2^(-age / halfLife)` for the recency weight `r`.
 *
 * @example
 * ```ts
 * fuse(candidates, { vectorWeight: 0.7, keywordWeight: 0.3, vectors: true, now: new Date(), limit: 5 });
 * ```
 */
export function fuse(candidates: readonly ScopedCandidate[], options: FuseOptions): RankedHit[] {
  const best = Math.max(0, ...candidates.map((candidate) => candidate.bm25 ?? 0));
  const recency = options.recencyWeight ?? 0;
  const halfLife = (options.halfLifeDays ?? 30) * DAY_MS;
  const { vectorWeight, keywordWeight } = options;
  const total = options.vectors ? vectorWeight + keywordWeight : keywordWeight;
  const scored = candidates.map((candidate): RankedHit => {
    const keyword = best > 0 ? Math.max(0, candidate.bm25 ?? 0) / best : 0;
    const vector = Math.max(0, candidate.cosine ?? 0);
    const relevance = options.vectors && total > 0
      ? (keywordWeight * keyword + vectorWeight * vector) / total
      : keyword;
    const age = Math.max(0, options.now.getTime() - (Date.parse(candidate.date) || 0));
    const fresh = recency === 0 ? 1 : 1 - recency + recency * Math.pow(2, -age / halfLife);
    return { ...candidate, score: relevance * fresh };
  }).filter((hit) => hit.score > 0);
  scored.sort((a, b) => b.score - a.score || (a.date < b.date ? 1 : -1));
  return collapse(scored, options.limit, options.duplicateSimilarity ?? 0.8);
}

/** Keeps the best of each group of near-duplicates, up to `limit` results. */
function collapse(sorted: RankedHit[], limit: number, similarity: number): RankedHit[] {
  const kept: { hit: RankedHit; words: Set<string> }[] = [];
  for (const hit of sorted) {
    if (kept.length >= limit) break;
    const own = new Set(words(hit.text));
    const duplicate = kept.some((other) =>
      other.hit.hash === hit.hash || jaccard(own, other.words) >= similarity
    );
    if (!duplicate) kept.push({ hit, words: own });
  }
  return kept.map((entry) => entry.hit);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
