import { fileURLToPath } from "node:url";

/**
 * Variables a child `deno` needs to find its module cache and the network (a proxy the
 * deployment sets); the skill itself cannot read them.
 */
const CHILD_ENV = [
  "DENO_DIR",
  "HOME",
  "XDG_CACHE_HOME",
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
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  for (const name of CHILD_ENV) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // Not granted to the agent: the child falls back to Deno's defaults.
    }
  }
  return env;
}

/**
 * The values of the variables a process-isolated skill declares, for its child's
 * environment (the child's `--allow-env` lets it read exactly these). A variable that is
 * unset, or that the agent may not read, is left out.
 */
export function declaredEnvironment(names: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // Not granted to the agent: the skill finds the variable unset.
    }
  }
  return env;
}

/** The project's deno.json (its import map), when the code runs from a checkout. */
export function defaultDenoConfig(): string | undefined {
  const url = new URL("../../deno.json", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : undefined;
}
