/**
 * Personas: packages of prompt files with defaults (tier, skills) and restrictions, under
 * `{data}/personas/{id}/` (the operator's) and `{data}/{jid}/personas/{id}/` (a
 * conversation's own); the `/persona` command; what the active persona changes in a turn.
 *
 * @module
 */
export { Personas } from "./personas.ts";
export type {
  ActivePersona,
  Persona,
  PersonasConfig,
  PersonasOptions,
  PersonaTurn,
} from "./personas.ts";
export { PersonaDialogues } from "./persona_dialogues.ts";
export type { PersonaDialoguesOptions } from "./persona_dialogues.ts";
export { personaCommands } from "./persona_commands.ts";
export { PersonaError } from "./persona_error.ts";
export { isPersonaId, PERSONA_SUBCOMMANDS, personaId } from "./persona_id.ts";
export { parseManifest } from "./persona_manifest.ts";
export type { PersonaManifest } from "./persona_manifest.ts";
export { exportPackage, parsePackage, PROMPT_FILES } from "./persona_package.ts";
export type { PersonaPackage, PromptFile } from "./persona_package.ts";
export type { PersonaRestriction } from "./persona_access.ts";
export type { PersonaFs } from "./persona_fs.ts";
export { denoPersonaFs } from "./deno_persona_fs.ts";
export { InMemoryPersonaFs } from "./in_memory_persona_fs.ts";
export {
  activePersonaFile,
  globalPersonaDir,
  userPersonaDir,
  userPersonasDir,
} from "./persona_paths.ts";
