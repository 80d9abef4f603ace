/**
 * How the index process is started: the one place its permission flags are written.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { sourceUrl } from "../build/mod.ts";
import {
  childEnvironment,
  closedLoadingFlags,
  DENO_CACHE_ENV,
  projectDenoConfig,
} from "../deno_child/mod.ts";

/** The module the index process runs. */
export const INDEX_CHILD_MODULE: URL = sourceUrl("src/search/index_child.ts");

/** Options of {@linkcode indexProcessCommand}. */
export interface IndexProcessOptions {
  /** The index directory: the only folder the process may read or write. */
  indexDir: string;
  /** The embedding model (the databases keep vectors of one model). */
  model: string;
  /** The `deno` executable. */
  denoPath: string;
  /**
   * The deno.json whose import map and lock file the child loads with.
   * @default {the project's deno.json (none when the code does not run from files)}
   */
  denoConfig?: string;
}

/**
 * The Deno flags of the index process, and nothing else it holds: `--allow-ffi` (loading
 * sqlite-vec needs it unrestricted), read and write on the index directory only; no network,
 * no environment, no running programs, no system information. Module loading is closed as
 * the agent's is: the lock file is never written and nothing is downloaded.
 *
 * @param indexDir The index directory (absolute).
 * @throws {TypeError} When the path holds a comma, which a Deno flag cannot express.
 * @example
 * ```ts
 * indexProcessFlags("/srv/agent/data/memory/search");
 * // ["--no-prompt", "--frozen", "--cached-only", "--no-remote", "--allow-ffi",
 * //  "--allow-read=/srv/agent/data/memory/search", "--allow-write=/srv/agent/data/memory/search"]
 * ```
 */
export function indexProcessFlags(indexDir: string): string[] {
  if (indexDir.includes(",")) {
    throw new TypeError(
      `Cannot grant the index process ${JSON.stringify(indexDir)}: a Deno flag cannot hold a comma`,
    );
  }
  return [
    ...closedLoadingFlags({ cachedOnly: true }),
    "--allow-ffi",
    `--allow-read=${indexDir}`,
    `--allow-write=${indexDir}`,
  ];
}

/** The command line that starts the index process. */
export function indexProcessCommand(options: IndexProcessOptions): {
  command: string;
  args: string[];
} {
  const config = options.denoConfig ?? projectDenoConfig();
  return {
    command: options.denoPath,
    args: [
      "run",
      "--quiet",
      ...(config === undefined ? [] : [`--config=${config}`]),
      ...indexProcessFlags(options.indexDir),
      fileURLToPath(INDEX_CHILD_MODULE),
      `--dir=${options.indexDir}`,
      `--model=${options.model}`,
    ],
  };
}

/**
 * The whole environment of the index process (it is started with a cleared one): what Deno
 * needs to find its cache, nothing else, each variable only if this process may read it.
 */
export function indexProcessEnv(): Record<string, string> {
  return childEnvironment(DENO_CACHE_ENV);
}
