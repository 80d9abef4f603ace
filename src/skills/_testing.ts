import { loadSkillManifest } from "./manifest.ts";
import type { SkillSource } from "./skill_source.ts";

/** A user-skill source whose manifest is built from a few fields, for tests. */
export function testSkill(
  name: string,
  options: {
    capabilities?: string;
    module?: URL;
    isolation?: "worker" | "process";
    trusted?: boolean;
  } = {},
): SkillSource {
  const manifest = loadSkillManifest(
    `name = "${name}"\ndescription = "The ${name} skill"\n` +
      (options.isolation === undefined ? "" : `isolation = "${options.isolation}"\n`) +
      `[parameters]\ntype = "object"\nrequired = ["text"]\n` +
      `[parameters.properties.text]\ntype = "string"\n` +
      `[capabilities]\n${options.capabilities ?? ""}\n`,
    `test:${name}`,
  );
  return {
    manifest,
    module: options.module ?? new URL(`file:///nonexistent/${name}/mod.ts`),
    builtin: false,
    ...(options.trusted === undefined ? {} : { trusted: options.trusted }),
  };
}
