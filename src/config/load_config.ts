import dotenv from "dotenv";
import { resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { currentDirectory, isNotFound, processEnv, readTextFile } from "./_runtime.ts";
import { describeZodIssues } from "./_zod_issues.ts";
import { ConfigError } from "./config_error.ts";
import { type EnvLookup, expandVariables } from "./expand_variables.ts";
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
   * Directory that relative paths (the config file, `./.env`, `memory.path`) resolve against.
   * @default {Deno.cwd()}
   */
  cwd?: string;
  /**
   * Home directory holding `.fluux-agent/.env`; without one that file is skipped.
   * @default {env("HOME")}
   */
  home?: string;
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
  /** `memory.path` made absolute against the working directory. */
  dataDir: string;
  /** Absolute paths of the .env files consulted (`./.env`, `~/.fluux-agent/.env`). */
  envFiles: string[];
}

/**
 * Loads the agent's TOML config: parses it, expands `${VAR}` / `${VAR:-default}` in string
 * values, validates it and fills in defaults. Variables come from the process environment,
 * then `./.env`, then `~/.fluux-agent/.env`; a .env file never overrides the process
 * environment, and a missing one is skipped. A relative `memory.path` resolves against the
 * working directory, not the config file's directory.
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
  const absolute = resolve(cwd, path);
  const fail = (key: string, message: string, cause?: unknown) =>
    new ConfigError(absolute, [{ key, message }], { displayPath: path, cause });

  let source: string;
  try {
    source = await read(absolute);
  } catch (error) {
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
  if (home !== undefined) envFiles.push(resolve(home, ".fluux-agent", ".env"));
  const layers = await Promise.all(envFiles.map((file) => readDotenv(file, read)));
  const lookup = (name: string) => env(name) ?? layers.find((layer) => name in layer)?.[name];

  const expanded = expandVariables(tree, lookup);
  const parsed = configSchema.safeParse(expanded.value);
  const issues = [...expanded.issues];
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
  const searchKey = config.skills.web_search?.api_key;
  if (searchKey !== undefined) secrets.add(searchKey);
  return {
    config,
    path: absolute,
    variables: expanded.variables,
    secrets: [...secrets],
    dataDir: resolve(cwd, config.memory.path),
    envFiles,
  };
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
