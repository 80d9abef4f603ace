/**
 * Finding and loading the config for a command: `--config`, else `$FLUUX_CONFIG`, else
 * `config/agent.toml`; a usage or config error becomes its one-line message and exit code 2.
 *
 * @module
 */
import { ConfigError, loadConfig, type LoadedConfig, resolveConfigPath } from "../config/mod.ts";
import { errorMessage } from "../log/mod.ts";
import { fail } from "./_shared.ts";

/**
 * The loaded config, or the exit code of the error already printed.
 *
 * @param rest The command line without its command.
 * @param options `allowUnsetSecrets`: `--no-secrets` was given.
 */
export async function loadForCommand(
  rest: readonly string[],
  options: { allowUnsetSecrets: boolean },
): Promise<LoadedConfig | number> {
  let path: string;
  try {
    path = resolveConfigPath([...rest], (name) => Deno.env.get(name));
  } catch (error) {
    // A usage mistake such as `--config` with no path.
    return fail(2, errorMessage(error));
  }
  try {
    return await loadConfig(path, { allowUnsetSecrets: options.allowUnsetSecrets });
  } catch (error) {
    if (error instanceof ConfigError) return fail(2, error.message);
    throw error;
  }
}
