import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sourceUrl } from "../build/mod.ts";
import { credentialEnvName } from "./credentials.ts";
import { ANY_HOST } from "./manifest.ts";
import { isInside } from "./skill_grant.ts";
import { skillIsolation, type SkillSource } from "./skill_source.ts";

/** Permissions the agent process needs on top of its own so its skills can run. */
export interface PermissionNeeds {
  /** Hosts of worker-isolated skills (a worker can only hold what the agent holds). */
  net: string[];
  /**
   * The code of worker skills (Deno checks a worker's module loads against the agent's
   * read permission), their absolute `read` paths, and the credentials folder.
   */
  read: string[];
  /** Absolute `write` paths of worker skills. */
  write: string[];
  /** Skills' `env`, credential variables, and what a `deno` child needs. */
  env: string[];
  /** The `deno` executable, when a skill is process-isolated. */
  run: string[];
  /** Unstable features: `worker-options` (per-worker permissions). */
  unstable: string[];
}

/** What {@linkcode permissionNeeds} reads of a skill. */
export type PermissionNeedsSkill =
  & Pick<SkillSource, "manifest" | "module" | "builtin">
  & Partial<Pick<SkillSource, "trusted" | "refused">>;

/** Options for {@linkcode permissionNeeds}. */
export interface PermissionNeedsOptions {
  /** The `deno` executable process-isolated skills run with. */
  denoPath: string;
  /** The home directory (for `~/.fluux-agent/credentials`). @default none */
  home?: string;
  /**
   * The absolute folders skills may name (`skills.allowed_paths`): an absolute `read` or
   * `write` path outside them is never granted (the skill's calls are refused anyway).
   * @default {[]}
   */
  allowedAbsolutePaths?: readonly string[];
  /**
   * Grant read on the code folders of worker skills (and of the worker side of the
   * protocol). A compiled executable reads its own modules from inside itself and user
   * skills through `skills.dir`, so `compile` leaves them out: they would name folders of
   * the build machine.
   * @default {true}
   */
  codeFolders?: boolean;
  /**
   * Whether a process-isolated skill's child holds the agent's own permissions, as the
   * child a compiled executable re-runs of itself does (Deno applies no flag given to an
   * executable): it confines the skill in a worker, so the skill needs in the agent what a
   * worker skill needs (any host excepted, which no worker can be given).
   * @default {false}
   */
  childHoldsAgentPermissions?: boolean;
}

/** This folder: the worker side of the protocol, loaded into every worker. */
const SKILLS_SOURCE = fileURLToPath(sourceUrl("src/skills"));

/** Variables a `deno` child reads to find its cache, its registry and a proxy. */
const CHILD_ENV = [
  "DENO_DIR",
  "XDG_CACHE_HOME",
  "NPM_CONFIG_REGISTRY",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
];

/**
 * The extra permissions the agent needs for these skills. Pass every skill the config
 * enables, including those an admin disabled (`/skill enable` works without a restart);
 * a refused skill (its code reaches outside its folder) never runs and adds nothing.
 * A process-isolated skill — any user skill the operator does not trust — adds no network
 * host or path: its child gets its own flags, so a skill that may fetch any URL
 * (`network = ["*"]`) never widens the agent's grant; it costs `--allow-run=<deno>`
 * instead, and the variables it declares (the agent hands their values to the child).
 *
 * @example
 * ```ts
 * const needs = permissionNeeds(registry.list(), { denoPath: Deno.execPath() });
 * // needs.net: ["api.tavily.com:443"], needs.run: ["/usr/bin/deno"]
 * ```
 */
export function permissionNeeds(
  skills: readonly PermissionNeedsSkill[],
  options: PermissionNeedsOptions,
): PermissionNeeds {
  const needs: PermissionNeeds = { net: [], read: [], write: [], env: [], run: [], unstable: [] };
  const roots = (options.allowedAbsolutePaths ?? []).map((root) => resolve(root));
  const allowedAbsolute = (path: string) =>
    isAbsolute(path) && roots.some((root) => isInside(resolve(path), root));
  for (const skill of skills) {
    if (skill.refused !== undefined) continue;
    const { manifest, module } = skill;
    const caps = manifest.capabilities;
    needs.env.push(...caps.credentials.map(credentialEnvName));
    if (caps.credentials.length > 0 && options.home !== undefined) {
      needs.read.push(join(options.home, ".fluux-agent", "credentials"));
    }
    if (skillIsolation(skill) === "process") {
      needs.run.push(options.denoPath);
      needs.env.push(...CHILD_ENV, ...caps.env);
      if (options.childHoldsAgentPermissions !== true) continue;
    }
    needs.unstable.push("worker-options");
    if (module.protocol === "file:" && (options.codeFolders ?? true)) {
      needs.read.push(dirname(fileURLToPath(module)), SKILLS_SOURCE);
    }
    needs.net.push(...caps.network.filter((host) => host !== ANY_HOST));
    needs.read.push(...caps.read.filter(allowedAbsolute));
    needs.write.push(...caps.write.filter(allowedAbsolute));
    needs.env.push(...caps.env);
  }
  const unique = (values: string[]) => [...new Set(values)].sort();
  return {
    net: unique(needs.net),
    read: unique(needs.read),
    write: unique(needs.write),
    env: unique(needs.env),
    run: unique(needs.run),
    unstable: unique(needs.unstable),
  };
}
