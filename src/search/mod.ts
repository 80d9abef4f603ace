/**
 * Memory search: hybrid retrieval over each conversation's memory (its notes, profile and
 * sessions) and the shared folder, with SQLite FTS5 for keywords and sqlite-vec for vectors.
 *
 * Isolation is by construction: one database per scope (`{data dir}/search/conversations/
 * {jid}.sqlite`, `{data dir}/search/shared.sqlite`), the scope bound by the runtime from the
 * conversation, never from a tool argument. Keyword-only search runs in the agent process
 * without FFI; with an embedder the index runs in a child process that alone holds
 * `--allow-ffi` (see {@linkcode indexProcessFlags}), with no network: the agent computes the
 * embeddings and hands them over.
 *
 * @example
 * ```ts
 * const search = createMemorySearch(loaded, { warn: (m) => log.warn(m) });
 * const tools = search && new MemoryTools(search);
 * ```
 *
 * @module
 */
export { createMemorySearch, searchPaths, searchProcesses } from "./create_memory_search.ts";
export type {
  CreateMemorySearchOptions,
  SearchConfigInput,
  SearchPaths,
} from "./create_memory_search.ts";
export { MemorySearch } from "./memory_search.ts";
export type {
  MemoryHit,
  MemorySearchOptions,
  ReindexProgress,
  SearchOutcome,
} from "./memory_search.ts";
export { MemoryAccessError, type MemoryExcerpt } from "./memory_excerpt.ts";
export {
  formatHits,
  GET_LINES,
  MEMORY_SEARCH_HINT,
  type MemoryCallContext,
  type MemoryToolCall,
  type MemoryToolDefinition,
  type MemoryToolResult,
  MemoryTools,
  SEARCH_LIMITS,
} from "./memory_tools.ts";
export { type ToolRunnerLike, withMemoryTools } from "./with_memory_tools.ts";
export { indexProcessCommand, indexProcessFlags } from "./index_process.ts";
export type { IndexProcessOptions } from "./index_process.ts";
export { serveIndexChild } from "./index_child.ts";
export { createEmbedder, type Embedder, EmbedderError } from "./embedder.ts";
export type { EmbedderOptions } from "./embedder.ts";
export { SHARED_SCOPE } from "./index_backend.ts";
export type { IndexBackend } from "./index_backend.ts";
export { LocalIndexBackend } from "./local_index_backend.ts";
export { ChildIndexBackend } from "./child_index_backend.ts";
export type { SearchSource } from "./scope_sources.ts";
export { SHARED_FACTS_FILE } from "./shared_facts.ts";
