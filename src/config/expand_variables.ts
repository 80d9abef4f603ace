import { formatKeyPath } from "./_key_path.ts";
import type { ConfigIssue } from "./config_error.ts";

/** Looks a variable up; `undefined` when it is not set. */
export type EnvLookup = (name: string) => string | undefined;

/** What {@linkcode expandVariables} produced. */
export interface ExpandedTree {
  /** The tree with every `${VAR}` in its string values replaced. */
  value: unknown;
  /** Names of the variables referenced, sorted, each once (defaults used or not). */
  variables: string[];
  /** Values substituted from variables whose name says they hold a secret. */
  secrets: string[];
  /** Unset variables and malformed references, by key. */
  issues: ConfigIssue[];
  /** Unset variables {@linkcode ExpandOptions.optional} let through, by key. */
  unset: UnsetVariable[];
}

/** A variable that was not set, where it was referenced. */
export interface UnsetVariable {
  /** The key path as text, e.g. `server.password`. */
  key: string;
  /** The key path, e.g. `["server", "password"]`. */
  path: PropertyKey[];
  /** The variable's name. */
  variable: string;
}

/** Options for {@linkcode expandVariables}. */
export interface ExpandOptions {
  /**
   * Whether an unset variable referenced at `path` may stay unset: it is then replaced by
   * `placeholder` and listed in {@linkcode ExpandedTree.unset} instead of being an issue.
   * @default {() => false}
   */
  optional?: (variable: string, path: readonly PropertyKey[]) => boolean;
  /**
   * What an unset optional variable becomes.
   * @default {"(unset)"}
   */
  placeholder?: string;
}

/** Variable names containing one of these words hold secrets (`ANTHROPIC_API_KEY`, …). */
export const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD/i;

const REFERENCE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\{[^}]*\}?)/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in the string values of a parsed TOML tree (keys
 * and non-string values are left alone, so comments are never expanded). `$$` stands for a
 * literal `$`; a `$` followed by anything else is kept as it is. The default applies when
 * the variable is unset or empty.
 *
 * @param tree The parsed TOML document.
 * @param lookup Where variables come from.
 * @param options Which unset variables may stay unset.
 * @returns The expanded tree, the names referenced, secret values and problems found.
 */
export function expandVariables(
  tree: unknown,
  lookup: EnvLookup,
  options: ExpandOptions = {},
): ExpandedTree {
  const variables = new Set<string>();
  const secrets = new Set<string>();
  const issues: ConfigIssue[] = [];
  const unset: UnsetVariable[] = [];

  function expandString(text: string, path: PropertyKey[]): string {
    return text.replace(REFERENCE, (match, name?: string, fallback?: string) => {
      if (match === "$$") return "$";
      const key = formatKeyPath(path);
      if (name === undefined) {
        issues.push({
          key,
          message: `invalid variable reference ${JSON.stringify(match)}: write "\${NAME}", ` +
            `"\${NAME:-default}", or "$$" for a literal "$"`,
        });
        return match;
      }
      variables.add(name);
      const found = lookup(name);
      const value = found === undefined || (found === "" && fallback !== undefined)
        ? fallback
        : found;
      if (value === undefined && options.optional?.(name, path) === true) {
        unset.push({ key, path, variable: name });
        return options.placeholder ?? "(unset)";
      }
      if (value === undefined) {
        issues.push({
          key,
          message: `environment variable ${JSON.stringify(name)} is not set ` +
            "(set it in the environment or in .env)",
        });
        return "";
      }
      if (SECRET_NAME.test(name) && value !== "") secrets.add(value);
      return value;
    });
  }

  function walk(node: unknown, path: PropertyKey[]): unknown {
    if (typeof node === "string") return expandString(node, path);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (isTable(node)) {
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => [key, walk(value, [...path, key])]),
      );
    }
    return node;
  }

  const value = walk(tree, []);
  return { value, variables: [...variables].sort(), secrets: [...secrets], issues, unset };
}

function isTable(node: unknown): node is Record<string, unknown> {
  if (typeof node !== "object" || node === null) return false;
  const prototype = Object.getPrototypeOf(node);
  return prototype === null || prototype === Object.prototype;
}
