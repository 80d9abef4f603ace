/**
 * The options and result types of {@linkcode MemorySearch}.
 *
 * @module
 */
import type { Embedder } from "./embedder.ts";
import type { IndexBackend } from "./index_backend.ts";
import type { SearchSource } from "./scope_sources.ts";

/** Options of {@linkcode MemorySearch}. */
export interface MemorySearchOptions {
  /** The data directory (absolute). */
  dataDir: string;
  /** The shared folder (absolute). @default {`${dataDir}/shared`} */
  sharedDir?: string;
  /** The index directory (the backend's). @default {`${dataDir}/search`} */
  indexDir?: string;
  /** The index. */
  backend: IndexBackend;
  /** Computes embeddings (with a backend that holds vectors). @default {undefined} */
  embedder?: Embedder;
  /** What is indexed. @default {["memory", "sessions", "shared"]} */
  sources?: readonly SearchSource[];
  /** Weight of the vector similarity. @default {0.7} */
  vectorWeight?: number;
  /** Weight of the keyword score. @default {0.3} */
  keywordWeight?: number;
  /** Share of the score that prefers recent chunks (0 to 1). @default {0.1} */
  recencyWeight?: number;
  /** Age at which that preference halves. @default {30} */
  recencyHalfLifeDays?: number;
  /**
   * A current session's last messages the prompt shows: not returned by searches (they are
   * before the model already). @default {0}
   */
  hideRecent?: number;
  /** Bare JIDs that may add to shared memory. @default {[]} */
  contributors?: readonly string[];
  /**
   * Chunks embedded before a search answers (new text is found by keywords at once); the rest
   * follow in the background. @default {32}
   */
  embedBeforeSearch?: number;
  /** How long after a change the background refresh runs. @default {1000} */
  refreshDelayMs?: number;
  now?: () => Date;
  /** Where failures of background work and of the embedder are told. @default {no-op} */
  warn?: (message: string) => void;
}

/** One result of {@linkcode MemorySearch.search}. */
export interface MemoryHit {
  source: string;
  lineFrom: number;
  lineTo: number;
  /** When it was said or last edited (ISO 8601). */
  date: string;
  text: string;
  score: number;
  /** Whether it came from the shared folder. */
  shared: boolean;
}

/** Results and, when vector search could not take part, why. */
export interface SearchOutcome {
  hits: MemoryHit[];
  /** e.g. the embedder was unreachable and only keywords were searched. */
  note?: string;
}

/** Progress of {@linkcode MemorySearch.reindex}. */
export interface ReindexProgress {
  scope: string;
  done: number;
  total: number;
  chunks: number;
}
