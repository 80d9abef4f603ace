/**
 * `deno task bench --search`: memory search figures. For 10k and 100k chunks of generated
 * sessions, keyword-only (FTS5 in this process) and hybrid (sqlite-vec in the index process,
 * 768-dimension vectors from a near-free embedder whose time is shown apart): index build
 * (chunks/s), query p50/p99, keyword recall@5 on 1,000 facts, index size on disk.
 *
 * @module
 */
import { join } from "node:path";
import { ChildIndexBackend, LocalIndexBackend, MemorySearch } from "../../src/search/mod.ts";
import { benchEmbedder, type Corpus, randomQueries, writeCorpus } from "./search_corpus.ts";
import { summarize } from "./stats.ts";

const JID = "bench@example.org";
const DIMENSIONS = 768;

/** The figures of one corpus size and one mode. */
export interface SearchFigures {
  mode: "keyword" | "hybrid";
  chunks: number;
  build_secs: number;
  build_chunks_per_sec: number;
  /** Hybrid: time spent in the embedder while building, excluded from the build figures. */
  embed_secs?: number;
  query_p50_ms: number;
  query_p99_ms: number;
  /** Hybrid: the query's own embedding, excluded from the query figures. */
  query_embed_p50_ms?: number;
  recall_at_5: number;
  index_mb: number;
}

function progress(text: string): void {
  console.error(`[bench search] ${text}`);
}

async function directorySize(path: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(path)) {
    const full = join(path, entry.name);
    if (entry.isDirectory) total += await directorySize(full);
    else total += (await Deno.stat(full)).size;
  }
  return total;
}

async function measure(
  dataDir: string,
  corpus: Corpus,
  mode: "keyword" | "hybrid",
  queryCount: number,
): Promise<SearchFigures> {
  const indexDir = join(dataDir, `search-${mode}`);
  const embedder = mode === "hybrid" ? benchEmbedder(DIMENSIONS) : undefined;
  const backend = mode === "keyword"
    ? new LocalIndexBackend(indexDir)
    : new ChildIndexBackend({ indexDir, model: embedder!.model, denoPath: Deno.execPath() });
  const search = new MemorySearch({
    dataDir,
    indexDir,
    backend,
    ...(embedder === undefined ? {} : { embedder }),
    sources: ["sessions"],
    embedBeforeSearch: Infinity,
  });
  progress(`${mode}, ${corpus.chunks} chunks: building`);
  const started = performance.now();
  await search.search(JID, "warm up");
  const buildMs = performance.now() - started - (embedder?.ms ?? 0);
  const embedMs = embedder?.ms ?? 0;
  const buildSecs = buildMs / 1000;

  progress(`${mode}, ${corpus.chunks} chunks: ${queryCount} queries`);
  const times: number[] = [];
  const embedTimes: number[] = [];
  for (const query of randomQueries(queryCount)) {
    const before = embedder?.ms ?? 0;
    const t0 = performance.now();
    await search.search(JID, query, 5);
    const embedded = (embedder?.ms ?? 0) - before;
    times.push(performance.now() - t0 - embedded);
    embedTimes.push(embedded);
  }
  progress(`${mode}, ${corpus.chunks} chunks: recall@5 on ${corpus.facts.length} facts`);
  let found = 0;
  for (const fact of corpus.facts) {
    const { hits } = await search.search(JID, fact.query, 5);
    if (hits.some((hit) => hit.text.includes(fact.text))) found++;
  }
  await search.close();
  const query = summarize(times);
  return {
    mode,
    chunks: corpus.chunks,
    build_secs: round(buildSecs, 1),
    build_chunks_per_sec: Math.round(corpus.chunks / buildSecs),
    ...(embedder === undefined ? {} : { embed_secs: round(embedMs / 1000, 1) }),
    query_p50_ms: round(query.p50, 2),
    query_p99_ms: round(query.p99, 2),
    ...(embedder === undefined ? {} : { query_embed_p50_ms: round(summarize(embedTimes).p50, 3) }),
    recall_at_5: found / corpus.facts.length,
    index_mb: round((await directorySize(indexDir)) / 1_048_576, 1),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs the search bench; `sizes` are the corpus sizes in chunks. */
export async function searchBench(
  options: { sizes: number[]; queries: number; hybrid: boolean },
): Promise<SearchFigures[]> {
  const figures: SearchFigures[] = [];
  for (const size of options.sizes) {
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-search-bench-" });
    try {
      progress(`writing a corpus of ${size} chunks`);
      const corpus = await writeCorpus(dataDir, JID, size);
      progress(
        `${corpus.files} session files, ${
          (corpus.bytes / 1_048_576).toFixed(0)
        } MB, ${corpus.chunks} chunks`,
      );
      figures.push(await measure(dataDir, corpus, "keyword", options.queries));
      if (options.hybrid) figures.push(await measure(dataDir, corpus, "hybrid", options.queries));
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  }
  return figures;
}

/** The figures as a table. */
export function formatSearchFigures(figures: readonly SearchFigures[]): string {
  const rows = figures.map((f) => [
    `${f.mode}, ${f.chunks.toLocaleString("en")} chunks`,
    `${f.build_chunks_per_sec.toLocaleString("en")} chunks/s (${f.build_secs} s)` +
    (f.embed_secs === undefined ? "" : ` + embedder ${f.embed_secs} s`),
    `${f.query_p50_ms} / ${f.query_p99_ms} ms` +
    (f.query_embed_p50_ms === undefined ? "" : ` (+ embed ${f.query_embed_p50_ms} ms)`),
    `${(f.recall_at_5 * 100).toFixed(1)}%`,
    `${f.index_mb} MB`,
  ]);
  const head = ["Corpus", "Index build", "Query p50 / p99", "Recall@5", "Index size"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const figures = await searchBench({
    sizes: quick ? [2_000, 10_000] : [10_000, 100_000],
    queries: quick ? 50 : 300,
    hybrid: !Deno.args.includes("--keyword-only"),
  });
  console.log(formatSearchFigures(figures));
  const json = Deno.args.find((arg) => arg.startsWith("--json="))?.slice("--json=".length);
  if (json !== undefined) await Deno.writeTextFile(json, JSON.stringify(figures, null, 2) + "\n");
}
