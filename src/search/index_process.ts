/**
 * How the index process is started: the one place its permission flags are written.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The module the index process runs. */
export const INDEX_CHILD_MODULE: URL = new URL("./index_child.ts", import.meta.url);

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
   * @default {the project's deno.json}
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
    "--no-prompt",
    "--frozen",
    "--cached-only",
    "--no-remote",
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
  const config = options.denoConfig ?? fileURLToPath(new URL("../../deno.json", import.meta.url));
  return {
    command: options.denoPath,
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      ...indexProcessFlags(options.indexDir),
      fileURLToPath(INDEX_CHILD_MODULE),
      `--dir=${options.indexDir}`,
      `--model=${options.model}`,
    ],
  };
}

/** Variables the index process gets: what Deno needs to find its cache, nothing else. */
const CHILD_ENV = ["DENO_DIR", "HOME", "XDG_CACHE_HOME"];

/**
 * The whole environment of the index process (it is started with a cleared one): each
 * variable only if this process may read it.
 */
export function indexProcessEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  for (const name of CHILD_ENV) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // Not granted: the child falls back to Deno's default cache folder.
    }
  }
  return env;
}
