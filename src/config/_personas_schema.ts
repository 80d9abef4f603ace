// `[personas]`: the default persona, who may use which, and personas of users' own. The ids
// are checked by the personas' own rule, so the config accepts exactly the names a package
// can have.
import { z } from "zod";
import { isBareJid, normaliseBareJid } from "../jid/mod.ts";
import { isPersonaId } from "../personas/persona_id.ts";
import { bool, integer, table } from "./_schema_parts.ts";

const ID = 'expected a persona name: 1 to 32 letters, digits, "-" or "_", like "researcher"';
const ID_OR_STAR = `${ID}, or "*"`;
const JID = 'expected a bare JID or a room, like "alice@example.com"';

const restrictionSchema = table({
  jid: z.string({ error: JID }).refine(isBareJid, { error: JID })
    .transform((jid) => normaliseBareJid(jid)),
  allowed: z.array(
    z.string({ error: ID_OR_STAR }).refine((id) => id === "*" || isPersonaId(id), {
      error: ID_OR_STAR,
    }).transform((id) => id.toLowerCase()),
    { error: 'expected an array of persona names, or ["*"]' },
  ),
});

/** The keys of one `[[personas.restrictions]]` table. */
export const PERSONA_RESTRICTION_KEYS = Object.keys(restrictionSchema.shape);

/** The `[personas]` table, for its list of keys. */
export const personasTable = table({
  default: z.string({ error: ID }).refine(isPersonaId, { error: ID })
    .transform((id) => id.toLowerCase()).optional(),
  allow_user_personas: bool().default(false),
  max_user_personas: integer(0, 100).default(5),
  restrictions: z.array(restrictionSchema, { error: "expected [[personas.restrictions]] tables" })
    .default([]),
});

/** `[personas]`: one restriction per conversation. */
export const personasSchema = personasTable.check((context) => {
  const seen = new Set<string>();
  context.value.restrictions.forEach((restriction, index) => {
    if (!seen.has(restriction.jid)) {
      seen.add(restriction.jid);
      return;
    }
    context.issues.push({
      code: "custom",
      path: ["restrictions", index, "jid"],
      message: `${JSON.stringify(restriction.jid)} has a restriction already: merge the two`,
      input: restriction.jid,
    });
  });
});
