import type { EnvLookup } from "./expand_variables.ts";

/** The config file used when neither `--config` nor `FLUUX_CONFIG` names one. */
export const DEFAULT_CONFIG_PATH = "config/agent.toml";

/**
 * Which config file to load: `--config <path>` or `--config=<path>` in the arguments (the
 * last one wins; arguments after `--` are not looked at), else the `FLUUX_CONFIG`
 * variable, else `config/agent.toml`.
 *
 * @param args Command-line arguments.
 * @param env Reads an environment variable.
 * @returns The path as given (not made absolute).
 * @throws {TypeError} When `--config` has no value.
 */
export function resolveConfigPath(args: readonly string[], env: EnvLookup): string {
  let found: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--") break;
    if (arg === "--config") {
      const value = args[index + 1];
      if (value === undefined || value === "" || value.startsWith("-")) {
        throw new TypeError('Missing value for "--config": pass --config <path>');
      }
      found = value;
      index++;
    } else if (arg?.startsWith("--config=")) {
      found = arg.slice("--config=".length);
      if (found === "") throw new TypeError('Missing value for "--config": pass --config <path>');
    }
  }
  return found ?? (env("FLUUX_CONFIG") || DEFAULT_CONFIG_PATH);
}
