/**
 * `permissions`: prints the Deno permission flags the config needs, one line.
 *
 * @module
 */
import type { LoadedConfig } from "../config/mod.ts";
import { searchProcesses } from "../search/mod.ts";
import { agentPermissionFlags } from "../skills/mod.ts";
import { skillOptions } from "./_shared.ts";

/**
 * Prints the agent's flags on standard output (one line, to use as `$(…)`); the flags of
 * the processes it starts itself (memory search's index) go to standard error, as comments.
 */
export async function permissions(loaded: LoadedConfig): Promise<number> {
  console.log((await agentPermissionFlags(loaded, skillOptions(loaded))).join(" "));
  for (const process of searchProcesses(loaded)) {
    console.error(`# ${process.name} process: ${process.flags.join(" ")}`);
  }
  return 0;
}
