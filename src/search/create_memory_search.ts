import { isAbsolute, join, resolve } from "node:path";
import { type LoadedConfig, sharedPathProblem } from "../config/mod.ts";
import { ChildIndexBackend } from "./child_index_backend.ts";
import { createEmbedder } from "./embedder.ts";
import { LocalIndexBackend } from "./local_index_backend.ts";
import { indexProcessFlags } from "./index_process.ts";
import { MemorySearch } from "./memory_search.ts";

/** The parts of a loaded config memory search reads. */
export type SearchConfigInput = Pick<LoadedConfig, "config" | "dataDir" | "baseDir">;

/** Where memory search keeps and finds things. */
export interface SearchPaths {
  /** The data directory. */
  dataDir: string;
  /** The shared folder: `memory.shared.path`, or `{data dir}/shared`. */
  sharedDir: string;
  /** The index databases: `{data dir}/search`. */
  indexDir: string;
}

/** The folders of memory search for a config (absolute paths). */
export function searchPaths(loaded: SearchConfigInput): SearchPaths {
  const written = loaded.config.memory.shared.path;
  return {
    dataDir: loaded.dataDir,
    sharedDir: written === undefined
      ? join(loaded.dataDir, "shared")
      : isAbsolute(written)
      ? written
      : resolve(loaded.baseDir, written),
    indexDir: join(loaded.dataDir, "search"),
  };
}

/** Options of {@linkcode createMemorySearch}. */
export interface CreateMemorySearchOptions {
  /** The `deno` executable the index process runs with. @default {Deno.execPath()} */
  denoPath?: string;
  /**
   * Whether this is a compiled executable: it cannot start the index process with flags of
   * its own, so search falls back to keywords (with a warning). @default {Deno.build.standalone}
   */
  standalone?: boolean;
  /** Where background failures go (the agent's log). @default {no-op} */
  warn?: (message: string) => void;
  /** The fetch embedding requests use. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Chunks embedded before a search answers. @default {256} */
  embedBeforeSearch?: number;
}

/**
 * The memory search `[memory.search]` asks for, or `undefined` when it is off. With
 * `provider = "none"` the index runs in this process (FTS5, no FFI); with an embedder it
 * runs in the index process, which alone holds `--allow-ffi`, and this process computes the
 * embeddings. A current session's last `llm.max_history_messages` messages are left out of
 * results: the prompt shows them.
 *
 * @throws {TypeError} When the shared folder holds the data directory, or is inside it
 * without being its `shared` folder.
 */
export function createMemorySearch(
  loaded: SearchConfigInput,
  options: CreateMemorySearchOptions = {},
): MemorySearch | undefined {
  const { search, shared } = loaded.config.memory;
  if (!search.enabled) return undefined;
  const paths = searchPaths(loaded);
  const problem = sharedPathProblem(paths.dataDir, paths.sharedDir);
  if (problem !== undefined) throw new TypeError(`Invalid memory.shared.path: ${problem}`);
  const warn = options.warn ?? (() => {});
  let vectors = search.provider !== "none";
  if (vectors && (options.standalone ?? Deno.build.standalone)) {
    warn(
      "memory.search: a compiled executable cannot start the vector index process; " +
        "searching by keywords only (run with deno for hybrid search)",
    );
    vectors = false;
  }
  const embedder = vectors && search.provider !== "none"
    ? createEmbedder({
      provider: search.provider,
      model: search.model,
      host: search.host,
      ...(search.api_key === undefined ? {} : { apiKey: search.api_key }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    })
    : undefined;
  const backend = embedder === undefined
    ? new LocalIndexBackend(paths.indexDir)
    : new ChildIndexBackend({
      indexDir: paths.indexDir,
      model: search.model,
      denoPath: options.denoPath ?? Deno.execPath(),
      onExit: (reason) =>
        warn(`The search index process ended (${reason}); it restarts on the next search`),
    });
  return new MemorySearch({
    dataDir: paths.dataDir,
    sharedDir: paths.sharedDir,
    indexDir: paths.indexDir,
    backend,
    ...(embedder === undefined ? {} : { embedder }),
    sources: search.sources,
    vectorWeight: search.hybrid.vector_weight,
    keywordWeight: search.hybrid.keyword_weight,
    recencyWeight: search.recency_weight,
    recencyHalfLifeDays: search.recency_half_life_days,
    hideRecent: loaded.config.llm.max_history_messages ?? 20,
    contributors: shared.contributors,
    ...(options.embedBeforeSearch === undefined
      ? {}
      : { embedBeforeSearch: options.embedBeforeSearch }),
    warn,
  });
}

/**
 * The processes memory search adds and the exact flags each holds, for `permissions` to
 * show: the index process when an embedder is configured, none otherwise.
 *
 * @example
 * ```ts
 * for (const { name, flags } of searchProcesses(loaded)) console.log(`# ${name}: ${flags.join(" ")}`);
 * ```
 */
export function searchProcesses(loaded: SearchConfigInput): { name: string; flags: string[] }[] {
  const { search } = loaded.config.memory;
  if (!search.enabled || search.provider === "none") return [];
  return [{ name: "search index", flags: indexProcessFlags(searchPaths(loaded).indexDir) }];
}
