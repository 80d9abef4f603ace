/**
 * Who may use which persona: the operator's `[[personas.restrictions]]` for the conversation
 * (a room's applies to everyone in it), then the package's own `allowed_jids`.
 *
 * @module
 */
import type { PersonaManifest } from "./persona_manifest.ts";

/** `[[personas.restrictions]]`: the personas a conversation (a bare JID or a room) may use. */
export interface PersonaRestriction {
  /** The conversation: a bare JID, or a room for everyone in it. */
  jid: string;
  /** Persona ids, or `"*"` for all. */
  allowed: readonly string[];
}

/**
 * Why a conversation may not use a persona, or `undefined` when it may.
 *
 * @param conversation The conversation key: a bare JID or a room (normalised).
 * @param manifest The persona's manifest.
 * @param restrictions The operator's restrictions.
 * @example
 * ```ts
 * personaRefusal("bob@example.org", manifest, [{ jid: "bob@example.org", allowed: ["tutor"] }]);
 * // "it is not among the personas allowed here (personas.restrictions)"
 * ```
 */
export function personaRefusal(
  conversation: string,
  manifest: PersonaManifest,
  restrictions: readonly PersonaRestriction[],
): string | undefined {
  const rule = restrictions.find((restriction) => restriction.jid === conversation);
  if (rule !== undefined && !rule.allowed.includes("*") && !rule.allowed.includes(manifest.id)) {
    return "it is not among the personas allowed here (personas.restrictions)";
  }
  const jids = manifest.restrictions.allowed_jids;
  if (jids !== undefined && !jids.includes("*") && !jids.includes(conversation)) {
    return "its package allows other conversations only (persona.restrictions.allowed_jids)";
  }
  return undefined;
}
