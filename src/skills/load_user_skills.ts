import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { errorMessage } from "../log/mod.ts";
import { checkSkillCode, SkillCodeRefused } from "./check_skill_code.ts";
import { loadSkillManifest } from "./manifest.ts";
import type { SkillSource } from "./skill_source.ts";

/** User skills found in a folder, and the ones that could not be loaded. */
export interface UserSkills {
  /** Every skill with a valid manifest; one whose code may not load carries `refused`. */
  sources: SkillSource[];
  /** One line per skipped folder, for a warning. */
  problems: string[];
}

/** Options for {@linkcode loadUserSkills}. */
export interface LoadUserSkillsOptions {
  /** The user skills the operator trusts to run as their manifest says. @default {[]} */
  trusted?: readonly string[];
}

/**
 * Reads the user skills of a folder: each `{dir}/{name}/skill.toml` with its `mod.ts`. A
 * folder whose manifest is invalid, whose name differs from the manifest's, or that has no
 * `mod.ts` is skipped with a problem line; a missing `dir` means no user skills. Each
 * skill's code is checked before anything loads it (see `checkSkillCode`): a skill whose
 * imports leave its folder is kept, marked `refused`, so it is listed with the reason and
 * never runs.
 *
 * @param dir The skills folder (absolute).
 * @param options See {@linkcode LoadUserSkillsOptions}.
 */
export async function loadUserSkills(
  dir: string,
  options: LoadUserSkillsOptions = {},
): Promise<UserSkills> {
  const sources: SkillSource[] = [];
  const problems: string[] = [];
  const trusted = new Set(options.trusted ?? []);
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { sources, problems: unknownTrusted() };
    throw error;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (!entry.isDirectory) continue;
    const folder = join(dir, entry.name);
    const manifestPath = join(folder, "skill.toml");
    try {
      const manifest = loadSkillManifest(await Deno.readTextFile(manifestPath), manifestPath);
      if (manifest.name !== entry.name) {
        problems.push(
          `${manifestPath}: name ${JSON.stringify(manifest.name)} differs from its folder ` +
            JSON.stringify(entry.name),
        );
        continue;
      }
      const source: SkillSource = {
        manifest,
        module: pathToFileURL(join(folder, "mod.ts")),
        builtin: false,
        trusted: trusted.has(manifest.name),
      };
      try {
        const code = await checkSkillCode(folder);
        sources.push({ ...source, module: code.module, folder: code.folder });
      } catch (error) {
        if (!(error instanceof SkillCodeRefused)) throw error;
        sources.push({ ...source, refused: error.message });
      }
    } catch (error) {
      problems.push(errorMessage(error));
    }
  }
  return { sources, problems: [...problems, ...unknownTrusted()] };

  function unknownTrusted(): string[] {
    const names = new Set(sources.map((source) => source.manifest.name));
    return [...trusted].filter((name) => !names.has(name)).map((name) =>
      `skills.trusted names ${JSON.stringify(name)}, which is not a user skill in ${dir}`
    );
  }
}
