import { stringify } from "smol-toml";
import type { LoadedConfig } from "./load_config.ts";
import { redactConfig } from "./redact_config.ts";

/**
 * The effective config as TOML, for `main.ts check`: every key with its value or default,
 * secrets shown as `********`, headed by comments naming the file, the data directory and
 * the variables used.
 *
 * @param loaded What {@linkcode loadConfig} returned.
 * @returns Multi-line text ending with a newline.
 */
export function formatEffectiveConfig(loaded: LoadedConfig): string {
  const redacted = redactConfig(loaded.config, { secrets: loaded.secrets });
  const variables = loaded.variables.length === 0 ? "(none)" : loaded.variables.join(", ");
  return [
    `# Effective config from ${loaded.path}`,
    `# Data directory: ${loaded.dataDir}`,
    `# Environment variables used: ${variables}`,
    "",
    stringify(redacted).trimEnd(),
    "",
  ].join("\n");
}
