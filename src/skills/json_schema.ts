/**
 * A small JSON Schema validator for the subset skill manifests use: `type` (object, string,
 * number, integer, boolean, array), `properties`, `required`, `additionalProperties`
 * (boolean), `enum`, `minimum`/`maximum`, `minLength`/`maxLength`, `items`, `description`.
 * Arguments the LLM sends are checked against it before a skill starts. Manifests are
 * checked with {@linkcode unsupportedSchemaKeywords} so that no keyword is silently ignored.
 *
 * @module
 */

/** A JSON Schema object (the subset described in the module doc). */
export type JsonSchema = Record<string, unknown>;

const TYPES = ["object", "string", "number", "integer", "boolean", "array"] as const;
const KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "enum",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "items",
  "description",
  "title",
  "default",
]);

/**
 * Lists the problems that make a schema fall outside the supported subset: unknown
 * keywords, unknown types, malformed `properties`, `required` or `items`.
 *
 * @param schema The schema to inspect.
 * @param path Where it sits, for messages. @default {"parameters"}
 * @returns One message per problem, such as `parameters.properties.q: unsupported keyword "pattern"`.
 */
export function unsupportedSchemaKeywords(schema: unknown, path = "parameters"): string[] {
  if (!isRecord(schema)) return [`${path}: expected a table (a JSON Schema object)`];
  const problems: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key)) problems.push(`${path}: unsupported keyword ${JSON.stringify(key)}`);
  }
  const type = schema.type;
  if (type !== undefined && !TYPES.includes(type as (typeof TYPES)[number])) {
    problems.push(`${path}.type: expected one of ${TYPES.map((t) => `"${t}"`).join(", ")}`);
  }
  if (schema.properties !== undefined) {
    if (!isRecord(schema.properties)) problems.push(`${path}.properties: expected a table`);
    else {
      for (const [name, sub] of Object.entries(schema.properties)) {
        problems.push(...unsupportedSchemaKeywords(sub, `${path}.properties.${name}`));
      }
    }
  }
  if (
    schema.required !== undefined &&
    !(Array.isArray(schema.required) && schema.required.every((r) => typeof r === "string"))
  ) {
    problems.push(`${path}.required: expected an array of property names`);
  }
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) {
    problems.push(`${path}.enum: expected an array`);
  }
  if (schema.items !== undefined) {
    problems.push(...unsupportedSchemaKeywords(schema.items, `${path}.items`));
  }
  return problems;
}

/**
 * Checks a value against a schema of the supported subset.
 *
 * @param schema The schema.
 * @param value The value, e.g. a tool call's `input`.
 * @returns One message per problem (empty when the value is valid), such as
 *   `input.query: expected a string, found 42`.
 * @example
 * ```ts
 * validateJsonSchema({ type: "object", required: ["q"] }, {}); // ['input: missing property "q"']
 * ```
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown): string[] {
  const problems: string[] = [];
  check(schema, value, "input", problems);
  return problems;
}

function check(schema: JsonSchema, value: unknown, path: string, problems: string[]): void {
  const type = schema.type;
  if (typeof type === "string" && !hasType(value, type)) {
    problems.push(`${path}: expected ${article(type)}, found ${describe(value)}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
    const options = schema.enum.map((option) => JSON.stringify(option)).join(", ");
    problems.push(`${path}: expected one of ${options}, found ${describe(value)}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      problems.push(`${path}: expected at least ${schema.minimum}, found ${value}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      problems.push(`${path}: expected at most ${schema.maximum}, found ${value}`);
    }
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) {
      problems.push(`${path}: expected at least ${schema.minLength} characters, found ${length}`);
    }
    if (typeof schema.maxLength === "number" && length > schema.maxLength) {
      problems.push(`${path}: expected at most ${schema.maxLength} characters, found ${length}`);
    }
  }
  if (Array.isArray(value) && isRecord(schema.items)) {
    const items = schema.items;
    value.forEach((item, index) => check(items, item, `${path}[${index}]`, problems));
  }
  if (isRecord(value) && !Array.isArray(value)) checkObject(schema, value, path, problems);
}

function checkObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
  problems: string[],
): void {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === "string" && value[name] === undefined) {
        problems.push(`${path}: missing property ${JSON.stringify(name)}`);
      }
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const sub = properties[name];
    if (isRecord(sub)) check(sub, item, `${path}.${name}`, problems);
    else if (schema.additionalProperties === false) {
      problems.push(`${path}: unexpected property ${JSON.stringify(name)}`);
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isRecord(value) && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    default:
      return false;
  }
}

function article(type: string): string {
  return type === "integer" || type === "object" || type === "array" ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
