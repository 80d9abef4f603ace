/**
 * Keyword candidates with BM25 at a cost that does not grow with the corpus the way plain
 * `OR` scoring does. FTS5 scores every row a query matches, and a very common word (the,
 * was, a name said every day) matches most of them while adding little to BM25 (its IDF is
 * near zero). So: a word found in more than ~2% of the chunks counts as common; when the
 * query has rarer words, only those are matched; when every word is common, the chunks that
 * hold all of them are taken first (if they are not common together), then any of them among
 * the newest 10,000 chunks.
 *
 * @module
 */
import type { Sql } from "./_sql.ts";

/** Below this many chunks every word is matched, whatever its frequency. */
const SMALL = 2000;
/** A word in at least this many chunks (2% of them, 200 to 2,000) is common. */
function commonFrom(chunks: number): number {
  return Math.min(2000, Math.max(200, Math.floor(chunks * 0.02)));
}
/** A query of common words only is scored among this many newest chunks. */
const NEWEST = 10_000;

const quote = (word: string) => `"${word.replaceAll('"', '""')}"`;

/**
 * The best keyword matches, best first: chunk ids and BM25 (higher is better).
 *
 * @param chunks How many chunks the scope holds (an estimate is enough).
 */
export function keywordMatches(
  sql: Sql,
  words: readonly string[],
  limit: number,
  chunks: number,
): { id: number; bm25: number }[] {
  if (words.length === 0) return [];
  // bm25() by name, not the `rank` column: ordering by `rank` makes FTS5 sort every match
  // first, whatever the rowid constraint (measured: 107 ms against 15 ms at 100k chunks).
  const ranked = (match: string, above = 0) =>
    sql.all(
      `SELECT rowid AS id, bm25(chunks_fts) AS score FROM chunks_fts
       WHERE chunks_fts MATCH ? AND rowid > ? ORDER BY score LIMIT ?`,
      match,
      above,
      limit,
    ).map((row) => ({ id: Number(row.id), bm25: -Number(row.score) }));
  if (chunks < SMALL) return ranked(words.map(quote).join(" OR "));
  const common = commonFrom(chunks);
  const rare = words.filter((word) => count(sql, quote(word), common) < common);
  if (rare.length > 0) return ranked(rare.map(quote).join(" OR "));
  // Every word is common: the chunks that hold them all (when they are few enough to score),
  // then the newest that hold any.
  const together = words.map(quote).join(" AND ");
  const all = words.length > 1 && count(sql, together, common) < common ? ranked(together) : [];
  if (all.length >= limit) return all;
  const newest = Number(sql.get("SELECT max(rowid) AS n FROM chunks")?.n ?? 0) - NEWEST;
  const seen = new Set(all.map((match) => match.id));
  const any = ranked(words.map(quote).join(" OR "), newest).filter((match) => !seen.has(match.id));
  return [...all, ...any].slice(0, limit);
}

/** How many chunks match, counting no further than `cap`. */
function count(sql: Sql, match: string, cap: number): number {
  return Number(
    sql.get(
      "SELECT count(*) AS n FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)",
      match,
      cap,
    )?.n ?? 0,
  );
}
