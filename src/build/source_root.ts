/**
 * Where the project's files are, for what the agent loads by path at run time: the worker and
 * child sides of the skill protocol, the built-in skills, the memory search's index process,
 * `deno.json` and `main.ts`. Those stay files of the project whether the agent runs from its
 * sources or from the bundle `start` runs (see {@link ./agent_bundle.ts}).
 *
 * @module
 */

/**
 * The project's root folder, the one holding `main.ts` and `deno.json`, as a URL ending in
 * `/`. The bundle's files sit two folders below it (`.bundle/<version>/`), as this module does
 * (`src/build/`), so the same relative URL names the root from both.
 */
export const SOURCE_ROOT: URL = new URL("../../", import.meta.url);

/**
 * The URL of a file of the project.
 *
 * @param path Relative to the project's root, e.g. `"src/skills/worker_main.ts"`
 * @example
 * ```ts
 * sourceUrl("deno.json").pathname; // "/srv/fluux-agent/deno.json"
 * ```
 */
export function sourceUrl(path: string): URL {
  return new URL(path, SOURCE_ROOT);
}
