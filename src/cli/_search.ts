/**
 * Memory search, built from `[memory.search]`: the search, its tools and the note the prompt
 * gives about them. Its modules (the index, the index process, the embedders) load only for a
 * config that turns search on: an agent without it does not hold them in memory.
 *
 * @module
 */
import type { LoadedConfig } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { MemorySearch, MemoryTools } from "../search/mod.ts";

/** Memory search and what the agent gives the LLM of it. */
export interface SearchParts {
  search: MemorySearch;
  tools: MemoryTools;
  /** The prompt's note on the `memory_search` tool. */
  hint: string;
}

/**
 * Sets up memory search when the config turns it on.
 *
 * @returns Its parts, or `undefined` when search is off.
 * @throws {TypeError} When `memory.shared.path` is not valid for search
 */
export async function setUpSearch(
  loaded: LoadedConfig,
  log: Logger,
): Promise<SearchParts | undefined> {
  if (!loaded.config.memory.search.enabled) return undefined;
  const { createMemorySearch, MEMORY_SEARCH_HINT, MemoryTools } = await import(
    "../search/mod.ts"
  );
  const search = createMemorySearch(loaded, { warn: (line) => log.warn(line) });
  if (search === undefined) return undefined;
  return { search, tools: new MemoryTools(search), hint: MEMORY_SEARCH_HINT };
}
