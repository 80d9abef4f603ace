import { stringify } from "smol-toml";
import type { LoadedConfig } from "./load_config.ts";
import { redactConfig } from "./redact_config.ts";
import { UNSET } from "./_unset.ts";

/**
 * The effective config as TOML, for `main.ts check`: every key with its value or default,
 * secrets shown as `********` (`(unset)` for secrets left unset by `--no-secrets`), headed
 * by comments naming the file, the working directory, the data directory, the `.env` files
 * and the variables used.
 *
 * @param loaded What {@linkcode loadConfig} returned.
 * @returns Multi-line text ending with a newline.
 */
export function formatEffectiveConfig(loaded: LoadedConfig): string {
  const redacted: unknown = redactConfig(loaded.config, { secrets: loaded.secrets });
  for (const { path } of loaded.unsetSecrets) setAt(redacted, path, UNSET);
  const variables = loaded.variables.length === 0 ? "(none)" : loaded.variables.join(", ");
  const unset = loaded.unsetSecrets.map(({ key, variable }) => `${variable} (${key})`);
  return [
    `# Effective config from ${loaded.path}`,
    `# Working directory: ${loaded.baseDir}`,
    `# Data directory: ${loaded.dataDir}`,
    `# .env files: ${loaded.envFiles.join(", ")}`,
    `# Environment variables used: ${variables}`,
    `# Webhook listener: ${webhookListener(loaded)}`,
    ...(unset.length === 0
      ? []
      : [`# Secrets not set (checked without them): ${unset.join(", ")}`]),
    "",
    stringify(redacted as Record<string, unknown>).trimEnd(),
    "",
  ].join("\n");
}

function webhookListener(loaded: LoadedConfig): string {
  const webhooks = loaded.config.webhooks;
  if (webhooks === undefined) return "off (no [webhooks] section)";
  const routes = webhooks.routes.map((route) => route.path);
  return `http://${webhooks.listen} (routes: ${routes.length === 0 ? "none" : routes.join(", ")})`;
}

function setAt(tree: unknown, path: readonly PropertyKey[], value: string): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  const last = path.at(-1);
  if (typeof node === "object" && node !== null && last !== undefined && last in node) {
    (node as Record<PropertyKey, unknown>)[last] = value;
  }
}
