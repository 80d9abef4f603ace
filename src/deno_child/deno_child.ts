/**
 * The parts every sandboxed `deno run` child of the agent starts with (the memory search
 * index process, a process-isolated skill): the flags that close module loading, the
 * environment it gets in place of a cleared one, and the deno.json it loads with. What each
 * child may do (its `--allow-*` flags, which variables it holds) stays with its own command.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { sourceUrl } from "../build/mod.ts";

/** Variables a child `deno` reads to find its module cache. */
export const DENO_CACHE_ENV: readonly string[] = ["DENO_DIR", "HOME", "XDG_CACHE_HOME"];

/** Options of {@linkcode closedLoadingFlags}. */
export interface ClosedLoadingOptions {
  /**
   * Load only from Deno's cache (`--cached-only`), even what the lock file would allow
   * fetching.
   * @default {false}
   */
  cachedOnly?: boolean;
  /**
   * Resolve no npm package (`--no-npm`).
   * @default {false}
   */
  noNpm?: boolean;
}

/**
 * The flags that close a child's module loading: it never prompts for a permission, never
 * writes the lock file (`--frozen`) and loads nothing remote (`--no-remote`).
 *
 * @example
 * ```ts
 * closedLoadingFlags({ cachedOnly: true });
 * // ["--no-prompt", "--frozen", "--cached-only", "--no-remote"]
 * ```
 */
export function closedLoadingFlags(options: ClosedLoadingOptions = {}): string[] {
  return [
    "--no-prompt",
    "--frozen",
    ...(options.cachedOnly ? ["--cached-only"] : []),
    "--no-remote",
    ...(options.noNpm ? ["--no-npm"] : []),
  ];
}

/**
 * The whole environment of a child started with a cleared one: no colours, no update
 * check, and each of `names` that is set and that this process may read (a denied one is
 * skipped, never an error).
 *
 * @param names The variables to pass on, e.g. {@linkcode DENO_CACHE_ENV}
 */
export function childEnvironment(names: readonly string[]): Record<string, string> {
  return { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...readableVariables(names) };
}

/**
 * The values of those of `names` that are set and that this process may read; a denied one
 * is left out, never an error.
 *
 * @param names The variables to look up
 */
export function readableVariables(names: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // Not granted to the agent: the child finds the variable unset.
    }
  }
  return env;
}

/** The project's deno.json (its import map and lock file), when the code runs from files. */
export function projectDenoConfig(): string | undefined {
  const url = sourceUrl("deno.json");
  return url.protocol === "file:" ? fileURLToPath(url) : undefined;
}
