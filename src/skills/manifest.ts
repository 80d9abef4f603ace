import { parse as parseToml, TomlError } from "smol-toml";
import { z } from "zod";
import { type JsonSchema, unsupportedSchemaKeywords } from "./json_schema.ts";

/** Tool names the LLM providers accept, kept lower-case for stable sorting and commands. */
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const CREDENTIAL = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ENV = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST = /^(\*|(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?)$/;

/** The network value that means "any public host"; only a process-isolated skill may hold it. */
export const ANY_HOST = "*";

/** How a skill is isolated: a Web Worker inside the agent, or a `deno run` child per call. */
export const ISOLATION_MODES = ["worker", "process"] as const;

/** What a skill may do, straight from its manifest's `[capabilities]` table. */
export interface SkillCapabilities {
  /** `host:port` (or `host`) values it may reach; `["*"]` = any public host. */
  network: string[];
  /** Credential names it receives, e.g. `"tavily-api-key"`. */
  credentials: string[];
  /** Paths it may read: relative to its state folder, or absolute if config allows. */
  read: string[];
  /** Paths it may write, same rules as `read`. */
  write: string[];
  /** Environment variables it may read. */
  env: string[];
  /** Time limit of one call, in seconds. */
  timeout_secs: number;
  /** Heap limit of one call in MB (enforced in process isolation only). */
  memory_mb?: number;
}

/** A validated skill manifest. */
export interface SkillManifest {
  name: string;
  description: string;
  /** JSON Schema of the tool's input (an object schema). */
  parameters: JsonSchema;
  capabilities: SkillCapabilities;
  isolation: (typeof ISOLATION_MODES)[number];
  /** The model tier the skill prefers, e.g. `"fast"`. */
  tier?: string;
}

/** One problem in a manifest. */
export interface ManifestIssue {
  key: string;
  message: string;
}

/** A manifest that cannot be used; `issues` lists every problem at once. */
export class SkillManifestError extends Error {
  override name = "SkillManifestError";
  /** Where the manifest came from, e.g. a file path. */
  readonly source: string;
  readonly issues: readonly ManifestIssue[];

  /** Builds the error; the message lists every issue. */
  constructor(source: string, issues: readonly ManifestIssue[], options: ErrorOptions = {}) {
    const details = issues.map((issue) =>
      issue.key ? `${issue.key}: ${issue.message}` : issue.message
    );
    super(`Invalid skill manifest ${JSON.stringify(source)}: ${details.join("; ")}`, options);
    this.source = source;
    this.issues = issues;
  }
}

const list = (pattern: RegExp, what: string) =>
  z.array(
    z.string({ error: `expected ${what}` }).regex(pattern, { error: `expected ${what}` }),
    { error: `expected an array of ${what}` },
  ).default([]);

const path = z.string({ error: "expected a path" }).min(1, { error: "expected a path" }).refine(
  (value) => !value.split(/[\\/]/).includes(".."),
  { error: 'expected a path without ".."' },
);

const capabilitiesSchema = z.strictObject({
  network: list(HOST, 'a host like "api.example.com:443" (lower-case, no scheme)'),
  credentials: list(CREDENTIAL, 'a credential name like "tavily-api-key"'),
  read: z.array(path, { error: "expected an array of paths" }).default([]),
  write: z.array(path, { error: "expected an array of paths" }).default([]),
  env: list(ENV, "an environment variable name"),
  timeout_secs: z.number({ error: "expected a number of seconds" }).int({
    error: "expected a whole number of seconds",
  }).min(1, { error: "expected at least 1" }).max(3600, { error: "expected at most 3600" })
    .default(30),
  memory_mb: z.number({ error: "expected a number of MB" }).int({
    error: "expected a whole number",
  })
    .min(16, { error: "expected at least 16" }).optional(),
}, { error: "expected a table" });

const manifestSchema = z.strictObject({
  name: z.string({ error: "expected a name" }).regex(NAME, {
    error: 'expected lower-case letters, digits and "_", starting with a letter (max 64)',
  }),
  description: z.string({ error: "expected a description" }).min(1, {
    error: "expected a non-empty description",
  }),
  parameters: z.record(z.string(), z.unknown(), { error: "expected a table (a JSON Schema)" }),
  capabilities: capabilitiesSchema.default({
    network: [],
    credentials: [],
    read: [],
    write: [],
    env: [],
    timeout_secs: 30,
  }),
  isolation: z.enum(ISOLATION_MODES, { error: 'expected "worker" or "process"' }).default("worker"),
  tier: z.string({ error: "expected a tier name" }).regex(/^[a-z][a-z0-9_-]*$/, {
    error: "expected a tier name",
  }).optional(),
}, { error: "expected a table" });

/**
 * Validates a parsed manifest tree.
 *
 * @param tree The manifest as a plain object (e.g. parsed TOML).
 * @param source Where it came from, for messages.
 * @throws {SkillManifestError} listing every problem.
 */
export function parseSkillManifest(tree: unknown, source: string): SkillManifest {
  const parsed = manifestSchema.safeParse(tree);
  const issues: ManifestIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          issues.push({ key: [...issue.path, key].join("."), message: "unknown key" });
        }
      } else issues.push({ key: issue.path.join("."), message: issue.message });
    }
    throw new SkillManifestError(source, issues);
  }
  const manifest = parsed.data;
  for (const problem of unsupportedSchemaKeywords(manifest.parameters)) {
    const [key = "", ...rest] = problem.split(": ");
    issues.push({ key, message: rest.join(": ") });
  }
  if (manifest.parameters.type !== "object") {
    issues.push({ key: "parameters.type", message: 'expected "object" (tool input is an object)' });
  }
  const network = manifest.capabilities.network;
  if (network.includes(ANY_HOST)) {
    if (network.length > 1) {
      issues.push({ key: "capabilities.network", message: '"*" must be the only entry' });
    }
    if (manifest.isolation !== "process") {
      issues.push({
        key: "capabilities.network",
        message: '"*" (any host) needs isolation = "process": a worker can only hold hosts ' +
          "the agent itself may reach",
      });
    }
  }
  if (issues.length > 0) throw new SkillManifestError(source, issues);
  return stripUndefined(manifest);
}

/**
 * Parses and validates a `skill.toml`.
 *
 * @param tomlText The file's text.
 * @param source Where it came from (a path or `builtin:name`), for messages.
 * @throws {SkillManifestError} on a TOML syntax error or any invalid value.
 * @example
 * ```ts
 * const manifest = loadSkillManifest('name = "echo"\ndescription = "Echo"\n' +
 *   '[parameters]\ntype = "object"\n', "echo/skill.toml");
 * ```
 */
export function loadSkillManifest(tomlText: string, source: string): SkillManifest {
  let tree: unknown;
  try {
    tree = parseToml(tomlText);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "";
    throw new SkillManifestError(source, [{
      key: "",
      message: `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}`,
    }], { cause: error });
  }
  return parseSkillManifest(tree, source);
}

function stripUndefined(manifest: z.infer<typeof manifestSchema>): SkillManifest {
  const { tier, capabilities, ...rest } = manifest;
  const { memory_mb, ...caps } = capabilities;
  // TOML tables parse to null-prototype objects; plain JSON is what tool definitions carry.
  rest.parameters = JSON.parse(JSON.stringify(rest.parameters));
  return {
    ...rest,
    capabilities: memory_mb === undefined ? caps : { ...caps, memory_mb },
    ...(tier === undefined ? {} : { tier }),
  };
}
