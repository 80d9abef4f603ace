/**
 * Where personas live in the data directory. Every path is built from a JID checked by the
 * memory module's `conversationDir()` and an id checked by `personaId()`, then checked once
 * more to be a direct child of the folder it belongs in, before any filesystem call.
 *
 * ```
 * {root}/personas/{id}/                 the operator's packages
 * {root}/{jid}/personas/{id}/           a conversation's own packages
 * {root}/{jid}/active_persona.txt       the conversation's choice
 * ```
 *
 * @module
 */
import { dirname, join, normalize } from "node:path";
import { conversationDir } from "../memory/mod.ts";
import { personaId } from "./persona_id.ts";

/** The folder of the operator's packages, beside the conversation folders. */
export const PERSONAS_FOLDER = "personas";

/** The file holding a conversation's chosen persona. */
export const ACTIVE_PERSONA_FILE = "active_persona.txt";

function child(parent: string, name: string): string {
  const path = join(parent, name);
  // Defence in depth: the id check should make this impossible.
  if (dirname(path) !== normalize(parent).replace(/(.)\/$/, "$1")) {
    throw new TypeError(`Invalid persona name ${JSON.stringify(name)}: it would leave its folder`);
  }
  return path;
}

/** The folder of the operator's packages: `{root}/personas`. */
export function globalPersonasDir(root: string): string {
  return join(root, PERSONAS_FOLDER);
}

/**
 * The folder of one of the operator's packages: `{root}/personas/{id}`.
 *
 * @throws {TypeError} When the id is invalid (see `personaId()`).
 */
export function globalPersonaDir(root: string, id: string): string {
  return child(globalPersonasDir(root), personaId(id));
}

/**
 * The folder of a conversation's own packages: `{root}/{jid}/personas`.
 *
 * @throws {TypeError} When the JID is invalid (see `conversationDir()`).
 */
export function userPersonasDir(root: string, jid: string): string {
  return join(conversationDir(root, jid), PERSONAS_FOLDER);
}

/**
 * The folder of one of a conversation's own packages: `{root}/{jid}/personas/{id}`.
 *
 * @throws {TypeError} When the JID or the id is invalid.
 */
export function userPersonaDir(root: string, jid: string, id: string): string {
  return child(userPersonasDir(root, jid), personaId(id));
}

/**
 * The file of a conversation's choice: `{root}/{jid}/active_persona.txt`.
 *
 * @throws {TypeError} When the JID is invalid.
 */
export function activePersonaFile(root: string, jid: string): string {
  return join(conversationDir(root, jid), ACTIVE_PERSONA_FILE);
}
