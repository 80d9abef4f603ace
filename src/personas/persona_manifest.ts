/**
 * `persona.toml`: a persona's name and look, its defaults (the tier of its answers, the skills
 * it may use) and its restrictions (who may use it, how long its answers may be).
 *
 * ```toml
 * [persona]
 * id = "researcher"
 * name = "Researcher"
 * description = "Finds sources and cites them"
 * icon = "🔎"
 *
 * [persona.defaults]
 * tier = "heavy"                         # the tier of its answers; default: standard
 * skills = ["web_search", "url_fetch"]   # the only tools it is offered; omitted: all
 *
 * [persona.restrictions]
 * allowed_jids = ["alice@example.org"]   # who may choose it ("*": anyone; omitted: anyone)
 * max_tokens_per_message = 2048          # caps llm.max_tokens_per_request
 * ```
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { isBareJid, normaliseBareJid } from "../jid/mod.ts";
import { TIERS } from "../llm/mod.ts";
import { PersonaError } from "./persona_error.ts";
import { isPersonaId } from "./persona_id.ts";

const ID_ERROR = 'expected 1 to 32 letters, digits, "-" or "_" (not a /persona sub-command)';
const JID_ERROR = 'expected a bare JID like "alice@example.org", or "*"';

function table<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: "expected a table" });
}

const text = (max: number) =>
  z.string({ error: "expected a string" }).max(max, {
    error: `expected at most ${max} characters`,
  });

/** The tables and keys of `persona.toml`, for unknown-key messages. */
const personaTable = table({
  id: z.string({ error: ID_ERROR }).refine(isPersonaId, { error: ID_ERROR })
    .transform((id) => id.toLowerCase()),
  name: text(64).min(1, { error: "expected a non-empty string" }),
  description: text(500).default(""),
  icon: text(16).default(""),
  defaults: table({
    tier: z.enum(TIERS, {
      error: `expected one of ${TIERS.map((tier) => JSON.stringify(tier)).join(", ")}`,
    }).optional(),
    skills: z.array(text(64).min(1), { error: "expected an array of skill names" })
      .optional(),
  }).prefault({}),
  restrictions: table({
    allowed_jids: z.array(
      z.string({ error: JID_ERROR }).refine((jid) => jid === "*" || isBareJid(jid), {
        error: JID_ERROR,
      }).transform((jid) => jid === "*" ? jid : normaliseBareJid(jid)),
      { error: "expected an array of bare JIDs" },
    ).optional(),
    max_tokens_per_message: z.number({ error: "expected an integer of at least 1" })
      .int({ error: "expected an integer of at least 1" })
      .min(1, { error: "expected an integer of at least 1" }).optional(),
  }).prefault({}),
});

const manifestSchema = table({ persona: personaTable });

/** A validated `persona.toml`. */
export type PersonaManifest = z.output<typeof personaTable>;

/** The keys each table accepts, for the "allowed keys" hint. */
const KEYS: Record<string, readonly string[]> = {
  "": ["persona"],
  persona: Object.keys(personaTable.shape),
  "persona.defaults": ["tier", "skills"],
  "persona.restrictions": ["allowed_jids", "max_tokens_per_message"],
};

/**
 * Validates the `[persona]` tree of a package (parsed TOML), reporting the first problem.
 *
 * @param tree The parsed TOML (the whole file, or an exported package).
 * @param file The file to name in the error.
 * @param extraKeys Other top-level keys the tree may hold (an export's `[files]`). @default {[]}
 * @throws {PersonaError} Naming the file and the key.
 */
export function validateManifest(
  tree: unknown,
  file: string,
  extraKeys: readonly string[] = [],
): PersonaManifest {
  let top = tree;
  if (typeof tree === "object" && tree !== null && !Array.isArray(tree)) {
    const copy: Record<string, unknown> = { ...tree };
    for (const key of extraKeys) delete copy[key];
    top = copy;
  }
  const result = manifestSchema.safeParse(top);
  if (result.success) return result.data.persona;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const table = issue.path.map(String).join(".");
    const allowed = [...(KEYS[table] ?? []), ...(table === "" ? extraKeys : [])];
    throw new PersonaError(
      file,
      [...issue.path, issue.keys[0]].map(String).join("."),
      `unknown key; allowed keys here: ${allowed.join(", ")}`,
    );
  }
  const key = issue.path.length === 0 ? undefined : formatPath(issue.path);
  const found = valueAt(tree, issue.path);
  const message = found === undefined
    ? `missing, ${issue.message}`
    : `${issue.message}, found ${describe(found)}`;
  throw new PersonaError(file, key, message);
}

/**
 * Parses and validates a `persona.toml`.
 *
 * @param text The file's text.
 * @param file Its path, named in errors.
 * @throws {PersonaError} When it is not TOML, or a key is missing, unknown or wrong.
 */
export function parseManifest(text: string, file: string): PersonaManifest {
  return validateManifest(parseTomlText(text, file), file);
}

/**
 * Parses TOML, turning a syntax error into a {@linkcode PersonaError} naming the file.
 *
 * @throws {PersonaError} When the text is not TOML.
 */
export function parseTomlText(text: string, file: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PersonaError(file, undefined, `not valid TOML: ${why}`, { cause: error });
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => typeof part === "number" ? `[${part}]` : String(part))
    .join(".").replaceAll(".[", "[");
}

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "a table";
  if (typeof value === "string") {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  return String(value);
}
