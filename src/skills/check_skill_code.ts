import { extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sourceUrl } from "../build/mod.ts";
import { errorMessage } from "../log/mod.ts";
import { importReferences } from "./import_references.ts";
import { isInside } from "./skill_grant.ts";

/** The specifier skills import the skill API by (types for `run`), mapped in deno.json. */
export const SKILL_API_SPECIFIER = "@fluux/skill";

/** The skill API module itself, which a sandbox may load whatever its folder. */
export const SKILL_API_PATH = fileURLToPath(sourceUrl("src/skills/skill_api.ts"));

/** Files parsed as modules; anything else must be imported as json, text or bytes. */
const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);
const DATA_TYPES = new Set(["json", "text", "bytes"]);

/** The file system calls {@linkcode checkSkillCode} makes. */
export interface SkillCodeFs {
  readTextFile(path: string): Promise<string>;
  /** The path with every symbolic link resolved; rejects when it does not exist. */
  realPath(path: string): Promise<string>;
  isFile(path: string): Promise<boolean>;
}

/** Options for {@linkcode checkSkillCode}. */
export interface CheckSkillCodeOptions {
  /** The entry module's file name in the folder. @default {"mod.ts"} */
  entry?: string;
  /** Most files the code may load. @default {500} */
  maxFiles?: number;
  /** @default the real file system */
  fs?: SkillCodeFs;
}

/** A skill's code, checked: every file it loads sits in its folder. */
export interface SkillCode {
  /** The folder, symbolic links resolved: what the sandbox may read. */
  folder: string;
  /** The entry module. */
  module: URL;
  /** Every file the code loads, entry first. */
  files: string[];
}

/** Skill code that may not load: it reaches outside its folder, or cannot be checked. */
export class SkillCodeRefused extends Error {
  override name = "SkillCodeRefused";
  /** The file holding the reference (relative to the folder). */
  readonly file: string;
  readonly line: number;

  /** Builds the error; `file` and `line` locate the reference. */
  constructor(message: string, where: { file: string; line: number }) {
    super(message);
    this.file = where.file;
    this.line = where.line;
  }
}

const denoFs: SkillCodeFs = {
  readTextFile: (path) => Deno.readTextFile(path),
  realPath: (path) => Deno.realPath(path),
  isFile: async (path) => (await Deno.stat(path)).isFile,
};

/**
 * Checks a skill's module graph before it loads: every specifier in every file it reaches
 * (static imports, re-exports, `import()` with a literal, type directives) must resolve,
 * symbolic links followed, to a file inside the skill's folder — or be the skill API
 * (`@fluux/skill`). Remote URLs, `npm:`/`jsr:` packages, bare names, `data:` URLs, JSX,
 * CommonJS and WebAssembly modules are refused, and so is any reference the check cannot
 * read. An `import()` whose specifier is computed is left to the sandbox, which loads it
 * with the skill's own read permission and no remote or npm access.
 *
 * @param folder The skill's folder (absolute).
 * @throws {SkillCodeRefused} Naming the file, line and specifier, and why.
 */
export async function checkSkillCode(
  folder: string,
  options: CheckSkillCodeOptions = {},
): Promise<SkillCode> {
  const fs = options.fs ?? denoFs;
  const maxFiles = options.maxFiles ?? 500;
  const folders = { given: resolve(folder), root: await fs.realPath(folder) };
  const root = folders.root;
  const entryName = options.entry ?? "mod.ts";
  const entry = await inside(fs, folders, join(root, entryName), { file: entryName, line: 0 });
  const files = [entry];
  const seen = new Set(files);
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    const where = (line: number) => ({ file: file.slice(root.length + 1), line });
    const refused = (line: number, reason: string) =>
      new SkillCodeRefused(`${where(line).file} line ${line}: ${reason}`, where(line));
    for (const reference of importReferences(await fs.readTextFile(file))) {
      const { specifier, line } = reference;
      if (specifier === undefined) {
        if (reference.kind === "dynamic") continue;
        throw refused(line, "an import whose specifier cannot be read");
      }
      const quoted = JSON.stringify(specifier);
      if (specifier === SKILL_API_SPECIFIER || specifier.startsWith("node:")) continue;
      const url = resolveSpecifier(specifier, file);
      if (url === undefined) {
        throw refused(line, `imports ${quoted}, which ${NOT_LOCAL}`);
      }
      if (url.search !== "" || url.hash !== "") {
        throw refused(line, `imports ${quoted}, which carries a query or fragment (not allowed)`);
      }
      const target = await inside(fs, folders, fileURLToPath(url), where(line), quoted);
      const extension = extname(target).toLowerCase();
      const type = reference.type;
      if (type !== undefined && !DATA_TYPES.has(type)) {
        throw refused(
          line,
          `imports ${quoted} as ${JSON.stringify(type)} (only json, text or bytes)`,
        );
      }
      if (reference.kind === "directive" || type !== undefined) continue;
      if (!MODULE_EXTENSIONS.has(extension)) {
        throw refused(
          line,
          `imports ${quoted} as code: only .ts, .mts, .js and .mjs modules may be (no JSX, ` +
            'CommonJS or WebAssembly); import data with { type: "json" }, "text" or "bytes"',
        );
      }
      if (!seen.has(target)) {
        if (files.length >= maxFiles) throw refused(line, `loads more than ${maxFiles} files`);
        seen.add(target);
        files.push(target);
      }
    }
  }
  return { folder: root, module: pathToFileURL(entry), files };
}

const NOT_LOCAL = "is not a file in the skill's folder: a skill may import only its own files " +
  `(vendor dependencies into its folder), node: built-ins and ${
    JSON.stringify(SKILL_API_SPECIFIER)
  }; remote URLs, npm:, jsr:, data: and bare package names are refused`;

/** A file URL for a relative, absolute or `file:` specifier; `undefined` for anything else. */
function resolveSpecifier(specifier: string, from: string): URL | undefined {
  const local = /^(\.{1,2}\/|\/)/.test(specifier) || /^file:/i.test(specifier);
  if (!local) return undefined;
  try {
    const url = new URL(specifier, pathToFileURL(from));
    return url.protocol === "file:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The real path of `path`, which must be a file inside the folder: inside it as written
 * (the folder as given, or its real path), and still inside once links are resolved.
 */
async function inside(
  fs: SkillCodeFs,
  folders: { given: string; root: string },
  path: string,
  where: { file: string; line: number },
  quoted = JSON.stringify(where.file),
): Promise<string> {
  const fail = (reason: string): never => {
    const message = where.line === 0
      ? `${quoted} ${reason}`
      : `${where.file} line ${where.line}: imports ${quoted}, which ${reason}`;
    throw new SkillCodeRefused(message, where);
  };
  const { given, root } = folders;
  if (!isInside(path, root) && !isInside(path, given)) {
    return fail(`is outside the skill's folder ${root}`);
  }
  let real: string;
  try {
    real = await fs.realPath(path);
  } catch (error) {
    return fail(
      error instanceof Deno.errors.NotFound
        ? "does not exist"
        : `cannot be resolved (${errorMessage(error)})`,
    );
  }
  if (!isInside(real, root)) {
    return fail(`leads through a symbolic link to ${real}, outside the skill's folder`);
  }
  if (!await fs.isFile(real)) fail("is not a file");
  return real;
}
