/**
 * Persona ids: the one check every name typed by a user, read from a file or found on disk
 * passes before it becomes part of a path.
 *
 * @module
 */

/** Words `/persona` takes as sub-commands, which therefore cannot name a persona. */
export const PERSONA_SUBCOMMANDS = [
  "list",
  "reset",
  "create",
  "edit",
  "delete",
  "export",
  "import",
  "cancel",
] as const;

/** Lower-case letters and digits, then also `-` and `_`; 1 to 32 characters. */
const ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * Checks a persona id and returns its normal form (lower case). Only ASCII letters, digits,
 * `-` and `_` pass, so an id can never be `.`, `..`, hold a separator or a control
 * character, or name anything but one folder.
 *
 * @param raw An id as typed or read, e.g. `"Researcher"`.
 * @returns The id, e.g. `"researcher"`.
 * @throws {TypeError} When it is not a valid id, or is a `/persona` sub-command.
 * @example
 * ```ts
 * personaId("Researcher"); // "researcher"
 * personaId("../etc"); // throws TypeError
 * ```
 */
export function personaId(raw: string): string {
  const id = raw.toLowerCase();
  if (!ID.test(id)) {
    throw new TypeError(
      `Invalid persona name ${JSON.stringify(raw)}: expected 1 to 32 letters, digits, "-" ` +
        `or "_", starting with a letter or digit`,
    );
  }
  if ((PERSONA_SUBCOMMANDS as readonly string[]).includes(id)) {
    throw new TypeError(
      `Invalid persona name ${JSON.stringify(raw)}: it is a /persona sub-command`,
    );
  }
  return id;
}

/** Whether {@linkcode personaId} accepts `raw`. */
export function isPersonaId(raw: string): boolean {
  try {
    personaId(raw);
    return true;
  } catch {
    return false;
  }
}
