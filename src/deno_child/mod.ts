/**
 * What the agent's sandboxed `deno run` children (the memory search index process, a
 * process-isolated skill) start with: closed module loading, a minimal environment, the
 * project's deno.json.
 *
 * @module
 */
export {
  childEnvironment,
  closedLoadingFlags,
  type ClosedLoadingOptions,
  DENO_CACHE_ENV,
  projectDenoConfig,
  readableVariables,
} from "./deno_child.ts";
