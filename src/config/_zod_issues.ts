import type { z } from "zod";
import { formatKeyPath, valueAt } from "./_key_path.ts";
import { closestKey } from "./_levenshtein.ts";
import type { ConfigIssue } from "./config_error.ts";
import { CONFIG_KEYS } from "./schema.ts";

/** Keys whose values are never quoted back in a message. */
const SECRET_KEYS = new Set([
  "server.password",
  "server.component_secret",
  "llm.api_key",
  "llm.providers.anthropic.api_key",
  "llm.providers.ollama.api_key",
  "llm.providers.openai.api_key",
  "skills.web_search.api_key",
  "webhooks.admin_token",
]);

/** Secret keys inside arrays of tables, whatever the index. */
const SECRET_KEY_PATTERNS = [/^rooms\[\d+\]\.password$/, /^webhooks\.routes\[\d+\]\.secret$/];

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key) || SECRET_KEY_PATTERNS.some((pattern) => pattern.test(key));
}

/**
 * Turns zod's issues into one {@linkcode ConfigIssue} per problem: the key path, what was
 * expected and what was found in `input` (the expanded TOML tree), a "did you mean" for
 * unknown keys.
 */
export function describeZodIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): ConfigIssue[] {
  const described: ConfigIssue[] = [];
  const seen = new Set<string>();
  function add(issue: ConfigIssue) {
    const id = `${issue.key}\n${issue.message}`;
    if (seen.has(id)) return;
    seen.add(id);
    described.push(issue);
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(unknownKey([...issue.path, key]));
      continue;
    }
    const key = formatKeyPath(issue.path);
    const found = valueAt(input, issue.path);
    if (found === undefined && issue.message.startsWith("expected ")) {
      add({
        key,
        message: issue.path.length === 1 ? `missing section [${key}]` : `missing, ${issue.message}`,
      });
    } else if (issue.message.startsWith("expected ")) {
      add({
        key,
        message: `${issue.message}, found ${describeValue(found, isSecretKey(key))}`,
      });
    } else {
      add({ key, message: issue.message });
    }
  }
  return described;
}

function unknownKey(path: PropertyKey[]): ConfigIssue {
  const key = formatKeyPath(path);
  // The table the key sits in: "" (top level), "server", "skills.web_search", "rooms"…
  const tables = path.slice(0, -1).filter((part) => typeof part === "string").map(String);
  // A table named by the user (`[llm.agents.researcher]`) is listed as `llm.agents.*`.
  const named = [...tables.slice(0, -1), "*"].join(".");
  const section = CONFIG_KEYS[tables.join(".")] !== undefined
    ? tables.join(".")
    : CONFIG_KEYS[named] !== undefined
    ? named
    : String(tables[0] ?? "");
  const allowed = CONFIG_KEYS[section] ?? [];
  const suggestion = closestKey(String(path[path.length - 1]), allowed);
  const hint = suggestion === undefined
    ? `allowed keys${section === "" ? " (sections)" : ""}: ${allowed.join(", ")}`
    : `did you mean ${JSON.stringify(suggestion)}?`;
  return { key, message: `unknown key; ${hint}` };
}

function describeValue(value: unknown, secret: boolean): string {
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  if (typeof value === "object" && value !== null) return "a table";
  if (secret) return `a ${typeof value === "string" ? "string" : typeof value}`;
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
