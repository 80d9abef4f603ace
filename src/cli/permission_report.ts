import {
  type LoadedConfig,
  missingPermissions,
  type MissingPermissionsOptions,
  netGrant,
} from "../config/mod.ts";
import { agentPermissionSet, type SkillPermissionsOptions } from "../skills/mod.ts";

/** What a config needs that this process does not hold. */
export interface PermissionReport {
  /** Without these the agent cannot work at all: its XMPP server, its data directory. */
  essential: string[];
  /** The rest (the LLM, attachment or skill hosts, variables): those calls will be refused. */
  other: string[];
}

/** Options for {@linkcode permissionReport}. */
export interface PermissionReportOptions
  extends SkillPermissionsOptions, MissingPermissionsOptions {}

/**
 * Compares what the config needs with what this process holds, one flag per missing item.
 * A compiled executable holds what was baked in for the config it was built with: given
 * another config, or started in a directory where its relative paths name other files, it
 * may lack some, and this names them before anything fails half-way.
 *
 * @param loaded What `loadConfig` returned.
 * @returns The missing items, essential ones apart; both empty when nothing is missing.
 */
export async function permissionReport(
  loaded: LoadedConfig,
  options: PermissionReportOptions,
): Promise<PermissionReport> {
  const missing = missingPermissions(await agentPermissionSet(loaded, options), options);
  const { server } = loaded.config;
  const dataDirs = [loaded.dataDir, loaded.portable.dataDir];
  const essential = new Set([
    `--allow-net=${netGrant(server.host, server.port)}`,
    ...dataDirs.flatMap((dir) => [`--allow-read=${dir}`, `--allow-write=${dir}`]),
  ]);
  return {
    essential: missing.filter((flag) => essential.has(flag)),
    other: missing.filter((flag) => !essential.has(flag)),
  };
}

/** The one-line reason printed before the missing flags. */
export const NOT_HELD =
  "This process does not hold permissions the config needs. A compiled executable holds those " +
  "of the config it was built with, for paths relative to the directory it starts in: run it " +
  'from that directory, or build one for this config with "deno task compile --config <file>"';
