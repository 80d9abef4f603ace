/**
 * The skills a config declares — built-ins from `[skills.*]` and user skills from
 * `[skills] dir` — and the permissions the agent process needs to run them. The same list
 * feeds `main.ts permissions` and the running agent, so the two cannot disagree.
 *
 * @module
 */
import {
  AGENT_V8_FLAGS,
  type Config,
  type ExtraPermissions,
  formatPermissionFlags,
  type LoadedConfig,
  type PermissionSet,
  permissionSet,
} from "../config/mod.ts";
import { nameServerPermissions } from "../net/mod.ts";
import { builtinSkillSources } from "./builtin/mod.ts";
import { loadUserSkills } from "./load_user_skills.ts";
import { permissionNeeds } from "./permission_needs.ts";
import type { SkillSource } from "./skill_registry.ts";

/** The skills of a config. */
export interface ConfiguredSkills {
  sources: SkillSource[];
  /** Why some user skills could not be loaded (logged as warnings). */
  problems: string[];
}

/**
 * Loads every skill the config declares, enabled or not (so `/skill enable` needs no restart).
 *
 * @param skills The `[skills]` section.
 */
export async function configuredSkills(skills: Config["skills"]): Promise<ConfiguredSkills> {
  const builtin = builtinSkillSources({
    ...(skills.web_search === undefined ? {} : { web_search: skills.web_search }),
    ...(skills.url_fetch === undefined ? {} : { url_fetch: skills.url_fetch }),
  });
  if (skills.dir === undefined) return { sources: builtin, problems: [] };
  const user = await loadUserSkills(skills.dir, { trusted: skills.trusted });
  return { sources: [...builtin, ...user.sources], problems: user.problems };
}

/** Options for {@linkcode skillPermissions}. */
export interface SkillPermissionsOptions {
  /** The `deno` executable process-isolated skills run with. */
  denoPath: string;
  /** The home directory (credential files). */
  home?: string;
  /**
   * The form `compile` bakes into an executable: no code folders (the executable carries
   * its own modules; user skills are read through `skills.dir`), no home directory, and
   * {@linkcode SkillPermissionsOptions.selfCommands} instead of `denoPath` for
   * process-isolated skills.
   * @default {false}
   */
  portable?: boolean;
  /**
   * How a compiled executable may find itself to re-run as a skill's child (`fluux-agent`
   * on `PATH`, `./fluux-agent` in its working directory).
   * @default {[]}
   */
  selfCommands?: readonly string[];
}

/**
 * What the agent process needs on top of its own permissions to run these skills: the
 * hosts of worker skills, their code, the `deno` executable for process-isolated ones.
 * Nothing when no skill is configured.
 */
export function skillPermissions(
  skills: Config["skills"],
  sources: readonly SkillSource[],
  options: SkillPermissionsOptions,
): ExtraPermissions {
  if (sources.length === 0) return {};
  const portable = options.portable === true;
  const needs = permissionNeeds(sources, {
    denoPath: options.denoPath,
    allowedAbsolutePaths: skills.allowed_paths,
    codeFolders: !portable,
    childHoldsAgentPermissions: portable,
    ...(options.home === undefined || portable ? {} : { home: options.home }),
  });
  const processIsolated = needs.run.length > 0;
  return {
    net: needs.net,
    read: [...needs.read, ...(skills.dir === undefined ? [] : [skills.dir])],
    write: needs.write,
    env: [...needs.env, "HOME"],
    run: portable && processIsolated ? [...(options.selfCommands ?? [])] : needs.run,
    unstable: needs.unstable,
  };
}

/**
 * How the agent process loads modules, whatever its config: the lock file is never written
 * (`--frozen`: a package that is not in it fails to load), nothing is downloaded at run time
 * (`--cached-only`: what the agent runs was installed before it started) and no remote
 * module loads (`--no-remote`). A Web Worker's `import: false` stops remote imports but not
 * `npm:` ones, so these flags are what keeps a skill from fetching a package.
 */
export const MODULE_LOADING_FLAGS: readonly string[] = ["--frozen", "--cached-only", "--no-remote"];

/**
 * The Deno flags the agent process runs with: what its config needs, plus what the
 * configured skills need, then {@linkcode MODULE_LOADING_FLAGS} and the agent's V8 flags. `main.ts permissions` and
 * `start` use this; `compile` bakes the same permission flags with `portable` (a compiled
 * executable has no lock file and loads only the modules built into it or named by path).
 */
export async function agentPermissionFlags(
  loaded: LoadedConfig,
  options: SkillPermissionsOptions,
): Promise<string[]> {
  return [
    ...formatPermissionFlags(await agentPermissionSet(loaded, options)),
    ...MODULE_LOADING_FLAGS,
    ...AGENT_V8_FLAGS,
  ];
}

/**
 * {@linkcode agentPermissionFlags} as lists, to check against what a process holds: the
 * config's own set, its skills' needs, and — when attachments are on and
 * `network.nameservers` names servers — those servers, asked directly by the address check.
 */
export async function agentPermissionSet(
  loaded: LoadedConfig,
  options: SkillPermissionsOptions,
): Promise<PermissionSet> {
  const extra = await agentSkillPermissions(loaded, options);
  const dns = loaded.config.attachments.enabled
    ? nameServerPermissions(loaded.config.network.nameservers)
    : [];
  return permissionSet(loaded, {
    extra: { ...extra, net: [...(extra.net ?? []), ...dns] },
    // Memory search with an embedder starts its index process with the same executable.
    ...(options.portable === true ? { portable: true } : { searchDenoPath: options.denoPath }),
  });
}

/** {@linkcode skillPermissions} for a loaded config's skills (user skills read from disk). */
export async function agentSkillPermissions(
  loaded: LoadedConfig,
  options: SkillPermissionsOptions,
): Promise<ExtraPermissions> {
  const { sources } = await configuredSkills(loaded.config.skills);
  return skillPermissions(loaded.config.skills, sources, options);
}
