/**
 * `permissions`: prints the Deno permission flags the config needs, one line.
 *
 * @module
 */
import type { LoadedConfig } from "../config/mod.ts";
import { agentPermissionFlags } from "../skills/mod.ts";
import { skillOptions } from "./_shared.ts";

/** Prints the flags; the exit code. */
export async function permissions(loaded: LoadedConfig): Promise<number> {
  console.log((await agentPermissionFlags(loaded, skillOptions(loaded))).join(" "));
  return 0;
}
