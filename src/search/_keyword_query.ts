/**
 * Keyword candidates with BM25 at a cost that does not grow with the corpus the way plain
 * `OR` scoring does. FTS5 scores every row a query matches, and a very common word (the,
 * was, a name said every day) matches most of them while adding little to BM25 (its IDF is
 * near zero). So: a word found in more than ~2% of the chunks counts as common; when the
 * query has rarer words, only those are matched; when every word is common, the chunks that
 * hold all of them are taken first, then any of them among the newest chunks.
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
const NEWEST = 20_000;

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
  const ranked = (match: string, above = 0) =>
    sql.all(
      `SELECT rowid AS id, rank FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid > ?
       ORDER BY rank LIMIT ?`,
      match,
      above,
      limit,
    ).map((row) => ({ id: Number(row.id), bm25: -Number(row.rank) }));
  if (chunks < SMALL) return ranked(words.map(quote).join(" OR "));
  const common = commonFrom(chunks);
  const rare = words.filter((word) =>
    Number(
      sql.get(
        "SELECT count(*) AS n FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)",
        quote(word),
        common,
      )?.n ?? 0,
    ) < common
  );
  if (rare.length > 0) return ranked(rare.map(quote).join(" OR "));
  // Every word is common: the chunks that hold them all, then the newest that hold any.
  const all = words.length > 1 ? ranked(words.map(quote).join(" AND ")) : [];
  if (all.length >= limit) return all;
  const newest = Number(sql.get("SELECT max(rowid) AS n FROM chunks")?.n ?? 0) - NEWEST;
  const seen = new Set(all.map((match) => match.id));
  const any = ranked(words.map(quote).join(" OR "), newest).filter((match) => !seen.has(match.id));
  return [...all, ...any].slice(0, limit);
}
