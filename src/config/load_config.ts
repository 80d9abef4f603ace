import dotenv from "dotenv";
import { isAbsolute, normalize, resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import {
  currentDirectory,
  isNotCapable,
  isNotFound,
  mayRead,
  processEnv,
  readTextFile,
} from "./_runtime.ts";
import { describeZodIssues } from "./_zod_issues.ts";
import { ConfigError, type ConfigIssue } from "./config_error.ts";
import {
  type EnvLookup,
  expandVariables,
  SECRET_NAME,
  type UnsetVariable,
} from "./expand_variables.ts";
import { UNSET } from "./_unset.ts";
import { type Config, configSchema } from "./schema.ts";

/** Options for {@linkcode loadConfig}: where it reads from, injectable for tests. */
export interface LoadConfigOptions {
  /**
   * Reads a process environment variable.
   * @default {Deno.env.get}
   */
  env?: EnvLookup;
  /**
   * Reads a file (the config file and the .env files).
   * @default {Deno.readTextFile}
   */
  readTextFile?: (path: string) => Promise<string>;
  /**
   * The agent's working directory: relative paths (the config file, `./.env`, `memory.path`)
   * resolve against it.
   * @default {Deno.cwd()}
   */
  cwd?: string;
  /**
   * Home directory holding `.fluux-agent/.env`; without one that file is skipped.
   * @default {env("HOME")}
   */
  home?: string;
  /**
   * Whether the process may read a file. `~/.fluux-agent/.env` is consulted only when it
   * may: a compiled executable cannot be granted it (its permissions are fixed when it is
   * built, and cannot name the home directory of the machine it runs on).
   * @default {Deno.permissions.querySync(...) is "granted"}
   */
  mayRead?: (path: string) => boolean;
  /**
   * Let variables that hold secrets stay unset (`check --no-secrets`): a variable named like
   * a secret (`*KEY*`, `*SECRET*`, `*TOKEN*`, `*PASSWORD*`) or referenced by a secret key
   * (`server.password`, `llm.api_key`, …) becomes `"(unset)"` and is listed in
   * {@linkcode LoadedConfig.unsetSecrets} instead of being an error.
   * @default {false}
   */
  allowUnsetSecrets?: boolean;
}

/**
 * The paths the agent reads and writes, as the command line and the config wrote them:
 * relative ones stay relative to the working directory, absolute ones stay absolute. Deno
 * resolves a relative permission path against the working directory when a process (or a
 * compiled executable) starts, and the agent resolves these paths the same way, so
 * permissions written with them hold on any machine, from any directory laid out alike.
 */
export interface PortablePaths {
  /** The config file. */
  path: string;
  /** The data directory (`memory.path`). */
  dataDir: string;
  /** `.env` in the working directory. */
  envFiles: string[];
}

/** A validated config and what was learned loading it. */
export interface LoadedConfig {
  /** The validated config, defaults filled in. */
  config: Config;
  /** Absolute path of the config file. */
  path: string;
  /** Names of the environment variables the config references, sorted. */
  variables: string[];
  /** Secret values (password, API key, values of secret-named variables), for scrubbing. */
  secrets: string[];
  /** The working directory relative paths were resolved against (absolute). */
  baseDir: string;
  /** `memory.path` made absolute against the working directory. */
  dataDir: string;
  /**
   * Absolute paths of the .env files consulted: `./.env`, and `~/.fluux-agent/.env` when
   * the process may read it.
   */
  envFiles: string[];
  /** The same files as they are written relative to the working directory. */
  portable: PortablePaths;
  /** Secret variables left unset ({@linkcode LoadConfigOptions.allowUnsetSecrets}). */
  unsetSecrets: UnsetVariable[];
}

/** Keys that hold secrets: a variable they reference counts as a secret. */
const SECRET_KEYS = [
  ["server", "password"],
  ["server", "component_secret"],
  ["llm", "api_key"],
  ["llm", "providers", "*", "api_key"],
  ["skills", "web_search", "api_key"],
  ["memory", "search", "api_key"],
  ["rooms", "*", "password"],
  ["webhooks", "admin_token"],
  ["webhooks", "routes", "*", "secret"],
];

function isSecretKey(path: readonly PropertyKey[]): boolean {
  return SECRET_KEYS.some((key) =>
    key.length === path.length &&
    key.every((part, index) => part === "*" || part === path[index])
  );
}

/**
 * Loads the agent's TOML config: parses it, expands `${VAR}` / `${VAR:-default}` in string
 * values, validates it and fills in defaults. Variables come from the process environment,
 * then `./.env`, then `~/.fluux-agent/.env`; a .env file never overrides the process
 * environment, and a missing one is skipped. Relative paths — the config file itself,
 * `./.env` and `memory.path` — resolve against the working directory (not the config
 * file's directory), which is where Deno resolves relative permission paths too.
 *
 * @param path The config file, absolute or relative to `cwd`.
 * @returns The config, its absolute path, the variables it references and its secrets.
 * @throws {ConfigError} When the file is missing, unreadable, not TOML, references an unset
 * variable or fails validation; the error lists every problem.
 */
export async function loadConfig(
  path: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const env = options.env ?? processEnv;
  const read = options.readTextFile ?? readTextFile;
  const cwd = options.cwd ?? currentDirectory();
  const home = options.home ?? env("HOME");
  const readable = options.mayRead ?? mayRead;
  const absolute = resolve(cwd, path);
  const fail = (key: string, message: string, cause?: unknown) =>
    new ConfigError(absolute, [{ key, message }], { displayPath: path, cause });

  let source: string;
  try {
    source = await read(absolute);
  } catch (error) {
    if (isNotCapable(error)) {
      throw new ConfigError(absolute, [{ key: "", message: "not permitted to read" }], {
        cause: error,
        message: `Not permitted to read the config file ${JSON.stringify(absolute)}: it is ` +
          "not in this process's --allow-read. A compiled executable holds the permissions " +
          "of the config it was built with; build one for this file with " +
          '"deno task compile --config <file>"',
      });
    }
    if (!isNotFound(error)) throw fail("", `cannot read the file: ${String(error)}`, error);
    throw new ConfigError(absolute, [{ key: "", message: "file not found" }], {
      cause: error,
      message: `Config file not found: ${JSON.stringify(absolute)}. Copy ` +
        "config/agent.example.toml to config/agent.toml and edit it, or pass --config <path> " +
        "(or set FLUUX_CONFIG)",
    });
  }

  let tree: unknown;
  try {
    tree = parseToml(source);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "");
    throw fail(
      "",
      `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}`,
      error,
    );
  }

  const envFiles = [resolve(cwd, ".env")];
  const homeEnv = home === undefined ? undefined : resolve(home, ".fluux-agent", ".env");
  if (homeEnv !== undefined && readable(homeEnv)) envFiles.push(homeEnv);
  const layers = await Promise.all(envFiles.map((file) => readDotenv(file, read)));
  const denied = new Set<string>();
  const lookup = (name: string) => {
    let value: string | undefined;
    try {
      value = env(name);
    } catch (error) {
      if (!isNotCapable(error)) throw error;
      denied.add(name);
    }
    return value ?? layers.find((layer) => name in layer)?.[name];
  };

  const expanded = expandVariables(tree, lookup, {
    optional: (name, keyPath) =>
      options.allowUnsetSecrets === true && (SECRET_NAME.test(name) || isSecretKey(keyPath)),
    placeholder: UNSET,
  });
  const parsed = configSchema.safeParse(expanded.value);
  const issues = [...expanded.issues.map((issue) => explainDenied(issue, denied))];
  if (!parsed.success) {
    const found = new Set(issues.map((issue) => issue.key));
    // A key whose variable is unset is already reported; its empty value would only add noise.
    issues.push(
      ...describeZodIssues(parsed.error.issues, expanded.value).filter((issue) =>
        !found.has(issue.key)
      ),
    );
  }
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(absolute, issues, { displayPath: path });
  }

  const config = parsed.data;
  const secrets = new Set(expanded.secrets);
  if (config.server.password !== "") secrets.add(config.server.password);
  if (config.server.component_secret !== undefined) secrets.add(config.server.component_secret);
  if (config.llm.api_key !== undefined) secrets.add(config.llm.api_key);
  for (const provider of Object.values(config.llm.providers)) {
    if (provider.api_key !== undefined) secrets.add(provider.api_key);
  }
  const searchKey = config.skills.web_search?.api_key;
  if (searchKey !== undefined) secrets.add(searchKey);
  const embedderKey = config.memory.search.api_key;
  if (embedderKey !== undefined) secrets.add(embedderKey);
  for (const room of config.rooms) if (room.password !== undefined) secrets.add(room.password);
  if (config.webhooks?.admin_token !== undefined) secrets.add(config.webhooks.admin_token);
  for (const route of config.webhooks?.routes ?? []) secrets.add(route.secret);
  for (const credential of urlCredentials(config)) secrets.add(credential);
  secrets.delete(UNSET);
  return {
    config,
    path: absolute,
    variables: expanded.variables,
    secrets: [...secrets],
    baseDir: resolve(cwd),
    dataDir: resolve(cwd, config.memory.path),
    envFiles,
    portable: {
      path: asWritten(path),
      dataDir: asWritten(config.memory.path),
      envFiles: [".env"],
    },
    unsetSecrets: expanded.unset,
  };
}

/** An unset variable the process may not even read says so instead. */
function explainDenied(issue: ConfigIssue, denied: ReadonlySet<string>): ConfigIssue {
  const name = [...denied].find((variable) => issue.message.includes(JSON.stringify(variable)));
  if (name === undefined) return issue;
  return {
    key: issue.key,
    message: `not permitted to read the environment variable ${JSON.stringify(name)}: it is ` +
      "not in this process's --allow-env (a compiled executable holds the variables of the " +
      "config it was built with)",
  };
}

/** A path as written, tidied (`./data/memory` → `data/memory`), relative or absolute. */
function asWritten(path: string): string {
  return isAbsolute(path) ? resolve(path) : normalize(path);
}

async function readDotenv(
  file: string,
  read: (path: string) => Promise<string>,
): Promise<Record<string, string>> {
  try {
    return dotenv.parse(await read(file));
  } catch (error) {
    if (isNotFound(error)) return {};
    throw new ConfigError(file, [{ key: "", message: `cannot read ${JSON.stringify(file)}` }], {
      cause: error,
      message: `Cannot read ${JSON.stringify(file)}: ${String(error)}`,
    });
  }
}

/**
 * Credentials written into a URL anywhere in the config (`https://user:token@proxy/`): the
 * password, or the user part when it stands alone (a token). They are secrets like any
 * other, hidden by `check` and in logs.
 */
function urlCredentials(node: unknown): string[] {
  if (typeof node === "string") {
    const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]+)@/i.exec(node);
    if (match === null) return [];
    const userinfo = match[1] ?? "";
    const colon = userinfo.indexOf(":");
    const [user, password] = colon === -1
      ? [userinfo, ""]
      : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
    const secret = password !== "" ? password : user;
    // As written (what a printed URL shows) and decoded (what goes on the wire).
    return [...new Set([secret, decodeComponent(secret)])].filter((value) => value !== "");
  }
  if (Array.isArray(node)) return node.flatMap(urlCredentials);
  if (typeof node === "object" && node !== null) return Object.values(node).flatMap(urlCredentials);
  return [];
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
