import {
  childEnvironment as denoChildEnvironment,
  DENO_CACHE_ENV,
  readableVariables,
} from "../deno_child/mod.ts";

/**
 * Variables a child `deno` needs to find its module cache and the network (a proxy the
 * deployment sets); the skill itself cannot read them.
 */
const CHILD_ENV = [
  ...DENO_CACHE_ENV,
  "PATH",
  "NPM_CONFIG_REGISTRY",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
];

/**
 * The environment of a process-isolated child: only what Deno needs to find its cache,
 * each variable only if the agent may read it (a denied one is skipped, never an error).
 */
export function childEnvironment(): Record<string, string> {
  return denoChildEnvironment(CHILD_ENV);
}

/**
 * The values of the variables a process-isolated skill declares, for its child's
 * environment (the child's `--allow-env` lets it read exactly these). A variable that is
 * unset, or that the agent may not read, is left out.
 */
export function declaredEnvironment(names: readonly string[]): Record<string, string> {
  return readableVariables(names);
}
