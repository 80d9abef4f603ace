/**
 * `check`: validates the config and prints the effective settings, secrets hidden; in a
 * compiled executable, also what the config needs that the executable does not hold.
 *
 * @module
 */
import { formatEffectiveConfig, type LoadedConfig } from "../config/mod.ts";
import { fail, heldOptions } from "./_shared.ts";
import { NOT_HELD, permissionReport } from "./permission_report.ts";

/** Prints the effective config; the exit code. */
export async function check(loaded: LoadedConfig): Promise<number> {
  console.log(formatEffectiveConfig(loaded));
  if (!Deno.build.standalone) return 0;
  const held = await permissionReport(loaded, heldOptions(loaded));
  const missing = [...held.essential, ...held.other];
  return missing.length === 0 ? 0 : fail(2, [NOT_HELD, ...missing].join("\n  "));
}
