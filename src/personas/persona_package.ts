/**
 * A persona package as one TOML text, for `/persona export` and `/persona import`: the
 * `[persona]` tables of `persona.toml`, and a `[files]` table holding the prompt files.
 *
 * ```toml
 * [persona]
 * id = "tutor"
 * name = "Tutor"
 *
 * [files]
 * identity = "You are a patient maths tutor."
 * personality = "Warm, encouraging."
 * ```
 *
 * @module
 */
import { stringify } from "smol-toml";
import { z } from "zod";
import { PersonaError } from "./persona_error.ts";
import { parseTomlText, type PersonaManifest, validateManifest } from "./persona_manifest.ts";

/** The prompt files of a package, without their `.md`. */
export const PROMPT_FILES = ["identity", "personality", "instructions", "context"] as const;

/** One of {@linkcode PROMPT_FILES}. */
export type PromptFile = (typeof PROMPT_FILES)[number];

/** The longest prompt file a package may bring, in characters. */
export const MAX_PROMPT_FILE_CHARS = 8000;

/** A whole package: its manifest and its prompt files (absent ones are not in the package). */
export interface PersonaPackage {
  manifest: PersonaManifest;
  files: Partial<Record<PromptFile, string>>;
}

const filesSchema = z.strictObject(
  Object.fromEntries(
    PROMPT_FILES.map((name) => [
      name,
      z.string({ error: "expected a string" }).max(MAX_PROMPT_FILE_CHARS, {
        error: `expected at most ${MAX_PROMPT_FILE_CHARS} characters`,
      }).optional(),
    ]),
  ) as Record<PromptFile, z.ZodOptional<z.ZodString>>,
  { error: "expected a table" },
);

/**
 * The text of `persona.toml` for a manifest.
 *
 * @param manifest A validated manifest.
 */
export function manifestToml(manifest: PersonaManifest): string {
  return stringify({ persona: manifestTree(manifest) }) + "\n";
}

/**
 * A package as one TOML text (`/persona export`).
 *
 * @param pkg The package.
 */
export function exportPackage(pkg: PersonaPackage): string {
  const files: Record<string, string> = {};
  for (const name of PROMPT_FILES) {
    const text = pkg.files[name];
    if (text !== undefined) files[name] = text;
  }
  return stringify({ persona: manifestTree(pkg.manifest), files }) + "\n";
}

/**
 * Reads a package from one TOML text (`/persona import`), validating all of it.
 *
 * @param text The TOML text.
 * @param label What to call it in errors. @default {"the package"}
 * @throws {PersonaError} Naming the key at fault.
 */
export function parsePackage(text: string, label = "the package"): PersonaPackage {
  const tree = parseTomlText(text, label);
  const manifest = validateManifest(tree, label, ["files"]);
  const raw = (tree as Record<string, unknown>).files ?? {};
  const result = filesSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    if (issue.code === "unrecognized_keys") {
      throw new PersonaError(
        label,
        `files.${issue.keys[0]}`,
        `unknown key; allowed keys here: ${PROMPT_FILES.join(", ")}`,
      );
    }
    const key = ["files", ...issue.path.map(String)].join(".");
    throw new PersonaError(label, key, issue.message);
  }
  const files: Partial<Record<PromptFile, string>> = {};
  for (const name of PROMPT_FILES) {
    const value = result.data[name];
    if (value !== undefined && value.trim() !== "") files[name] = value;
  }
  return { manifest, files };
}

function manifestTree(manifest: PersonaManifest): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  if (manifest.defaults.tier !== undefined) defaults.tier = manifest.defaults.tier;
  if (manifest.defaults.skills !== undefined) defaults.skills = manifest.defaults.skills;
  const restrictions: Record<string, unknown> = {};
  const { allowed_jids, max_tokens_per_message } = manifest.restrictions;
  if (allowed_jids !== undefined) restrictions.allowed_jids = allowed_jids;
  if (max_tokens_per_message !== undefined) {
    restrictions.max_tokens_per_message = max_tokens_per_message;
  }
  return {
    id: manifest.id,
    name: manifest.name,
    description: manifest.description,
    icon: manifest.icon,
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
    ...(Object.keys(restrictions).length > 0 ? { restrictions } : {}),
  };
}
