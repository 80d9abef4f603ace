/** One problem found in a config file. */
export interface ConfigIssue {
  /** Where: a key path like `server.port` or `agent.allowed_jids[0]`; `""` for the file. */
  key: string;
  /** What is wrong, e.g. `expected an integer from 1 to 65535, found "abc"`. */
  message: string;
}

/** Options for {@linkcode ConfigError}. */
export interface ConfigErrorOptions {
  /**
   * How to show the file in the message (the path as the user typed it).
   * @default {path}
   */
  displayPath?: string;
  /**
   * The whole message, replacing the one built from the issues.
   * @default {`Invalid config "<file>": <key>: <message>`, one line per issue}
   */
  message?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The config file is missing, unreadable or invalid. The message lists every problem, one
 * per line when there are several; {@linkcode ConfigError.issues} holds them structured.
 *
 * @example
 * ```ts
 * try {
 *   await loadConfig("config/agent.toml");
 * } catch (error) {
 *   if (!(error instanceof ConfigError)) throw error;
 *   console.error(error.message);
 * }
 * ```
 */
export class ConfigError extends Error {
  /** Absolute path of the config file. */
  readonly path: string;
  /** Every problem found. */
  readonly issues: readonly ConfigIssue[];

  /**
   * @param path Absolute path of the config file.
   * @param issues The problems found.
   */
  constructor(path: string, issues: readonly ConfigIssue[], options: ConfigErrorOptions = {}) {
    super(
      options.message ?? describeIssues(options.displayPath ?? path, issues),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "ConfigError";
    this.path = path;
    this.issues = issues;
  }
}

function describeIssues(file: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) =>
    issue.key === "" ? issue.message : `${issue.key}: ${issue.message}`
  );
  if (lines.length === 1) return `Invalid config ${JSON.stringify(file)}: ${lines[0]}`;
  return [
    `Invalid config ${JSON.stringify(file)} (${lines.length} problems):`,
    ...lines.map((line) => `  ${line}`),
  ].join("\n");
}
