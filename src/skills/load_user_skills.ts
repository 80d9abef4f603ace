import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadSkillManifest } from "./manifest.ts";
import type { SkillSource } from "./skill_registry.ts";

/** User skills found in a folder, and the ones that could not be loaded. */
export interface UserSkills {
  sources: SkillSource[];
  /** One line per skipped folder, for a warning. */
  problems: string[];
}

/**
 * Reads the user skills of a folder: each `{dir}/{name}/skill.toml` with its `mod.ts`. A
 * folder whose manifest is invalid, whose name differs from the manifest's, or that has no
 * `mod.ts` is skipped with a problem line; a missing `dir` means no user skills.
 *
 * @param dir The skills folder (absolute).
 */
export async function loadUserSkills(dir: string): Promise<UserSkills> {
  const sources: SkillSource[] = [];
  const problems: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { sources, problems };
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
      const modulePath = join(folder, "mod.ts");
      await Deno.stat(modulePath);
      sources.push({ manifest, module: new URL(pathToFileURL(modulePath).href), builtin: false });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { sources, problems };
}
