/**
 * The personas the composition root builds from `[personas]`: the `/persona` command, the
 * look-up each turn makes, and the questions `/persona create` asks.
 *
 * @module
 */
import type { TurnPersona } from "../agent/mod.ts";
import type { Command } from "../commands/mod.ts";
import type { LoadedConfig } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  denoPersonaFs,
  globalPersonaDir,
  personaCommands,
  PersonaDialogues,
  Personas,
} from "../personas/mod.ts";

/** What the agent takes from the personas. */
export interface PersonaParts {
  commands: Command[];
  persona: (conversation: string) => Promise<TurnPersona | undefined>;
  dialogue: (conversation: string, text: string) => Promise<string | undefined>;
}

/**
 * Reads the operator's packages: an invalid one is a warning (it cannot be chosen), a
 * `[personas] default` without a valid package stops the start.
 *
 * @returns The parts, or the one-line reason the start stops.
 */
export async function setUpPersonas(
  loaded: LoadedConfig,
  log: Logger,
): Promise<PersonaParts | string> {
  const config = loaded.config.personas;
  const personas = new Personas(loaded.dataDir, {
    fs: denoPersonaFs(),
    ...(config.default === undefined ? {} : { default: config.default }),
    restrictions: config.restrictions,
    allowUserPersonas: config.allow_user_personas,
    maxUserPersonas: config.max_user_personas,
    warn: (line) => log.warn(`Persona not used: ${line}`),
  });
  const { problems, defaultMissing } = await personas.check();
  for (const problem of problems) log.warn(`Persona not used: ${problem}`);
  if (defaultMissing !== undefined) {
    return `personas.default: no valid persona "${defaultMissing}" (expected ` +
      `${globalPersonaDir(loaded.dataDir, defaultMissing)}/persona.toml)`;
  }
  const dialogues = new PersonaDialogues(personas);
  return {
    commands: personaCommands(personas, dialogues),
    persona: (conversation) => personas.forTurn(conversation),
    dialogue: (conversation, text) => dialogues.answer(conversation, text),
  };
}
