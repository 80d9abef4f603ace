import { sourceUrl } from "../build/mod.ts";

/**
 * Modules the agent loads by URL at run time rather than by static import: the worker and
 * child sides of the skill protocol, the built-in skills (each booted inside a Web Worker
 * or a child process) and the skill API user skills import. `deno compile` embeds only what the entry point imports
 * statically, so `compile` passes each of these as `--include`.
 *
 * @returns File URLs, in a fixed order.
 */
export function skillRuntimeModules(): URL[] {
  return [
    "worker_main.ts",
    "child_main.ts",
    // What user skills import as "@fluux/skill".
    "skill_api.ts",
    "builtin/web_search/mod.ts",
    "builtin/url_fetch/mod.ts",
  ].map((path) => sourceUrl(`src/skills/${path}`));
}
