/** What a field that the body does not have renders as. */
export const MISSING_FIELD = "?";

/** Longest a single field renders, in characters; longer values end with `…`. */
export const MAX_FIELD_CHARS = 1000;

// `{{status}}`, `{{ head_commit.author.name }}`, `{{items.0.id}}`.
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;

/**
 * The fields a template names, in order (`"Build {{status}} on {{branch}}"` →
 * `["status", "branch"]`). A route whose template names none needs no JSON body.
 */
export function templateFields(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/**
 * Renders a notify route's template with fields of a JSON body. `{{name}}` is a field,
 * `{{a.b}}` a field of a field, `{{list.0}}` an array item. Never throws:
 *
 * - a field the body lacks renders as {@linkcode MISSING_FIELD} (`?`), so the message shows
 *   that something was expected there;
 * - strings render as they are, numbers and booleans as written, `null` as `null`, arrays and
 *   objects as compact JSON;
 * - each value is cut to {@linkcode MAX_FIELD_CHARS} characters, and control characters other
 *   than line breaks and tabs become spaces (they cannot be sent over XMPP).
 *
 * The text goes out as an XMPP body, which the XMPP layer escapes: nothing here is markup.
 * Only a body's own properties are read (`{{constructor}}` is missing, not a function).
 *
 * @param template The route's template.
 * @param body The parsed JSON body (usually an object).
 * @returns The message text.
 * @example
 * ```ts
 * renderTemplate("Build {{status}} on {{branch}}", { status: "passed" });
 * // "Build passed on ?"
 * ```
 */
export function renderTemplate(template: string, body: unknown): string {
  return template.replace(PLACEHOLDER, (_placeholder, path: string) => {
    const value = fieldAt(body, path.split("."));
    return value === undefined ? MISSING_FIELD : display(value);
  });
}

function fieldAt(node: unknown, path: readonly string[]): unknown {
  let value = node;
  for (const part of path) {
    if (typeof value !== "object" || value === null) return undefined;
    if (Array.isArray(value)) {
      if (!/^(0|[1-9][0-9]*)$/.test(part)) return undefined;
      value = value[Number(part)];
    } else {
      if (!Object.hasOwn(value, part)) return undefined;
      value = (value as Record<string, unknown>)[part];
    }
  }
  return value;
}

function display(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? MISSING_FIELD;
  // deno-lint-ignore no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ");
  return clean.length <= MAX_FIELD_CHARS ? clean : `${clean.slice(0, MAX_FIELD_CHARS - 1)}…`;
}
