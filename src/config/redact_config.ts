import type { Config } from "./schema.ts";
import { REDACTED, secretScrubber } from "./secret_scrubber.ts";

/** What an unset optional secret shows as. */
export const UNSET = "(unset)";

/** Options for {@linkcode redactConfig}. */
export interface RedactConfigOptions {
  /**
   * Further secret values (e.g. {@linkcode LoadedConfig.secrets}) to hide wherever they
   * appear in other string values.
   * @default {[]}
   */
  secrets?: readonly string[];
}

/**
 * A copy of the config safe to print: `server.password`, `server.component_secret` and
 * `llm.api_key` become `********` (`(unset)` when absent) and known secret values are
 * hidden in other strings.
 *
 * @param config The validated config.
 * @returns The redacted copy; the input is not modified.
 */
export function redactConfig(config: Config, options: RedactConfigOptions = {}): Config {
  const scrub = secretScrubber(options.secrets ?? []);
  const copy = scrubStrings(config, scrub) as Config;
  return {
    ...copy,
    server: {
      ...copy.server,
      password: config.server.password === "" ? UNSET : REDACTED,
      ...(config.server.component_secret === undefined ? {} : { component_secret: REDACTED }),
    },
    llm: { ...copy.llm, api_key: config.llm.api_key === undefined ? UNSET : REDACTED },
    skills: copy.skills.web_search?.api_key === undefined ? copy.skills : {
      ...copy.skills,
      web_search: { ...copy.skills.web_search, api_key: REDACTED },
    },
    memory: copy.memory.search.api_key === undefined ? copy.memory : {
      ...copy.memory,
      search: { ...copy.memory.search, api_key: REDACTED },
    },
  };
}

function scrubStrings(node: unknown, scrub: (text: string) => string): unknown {
  if (typeof node === "string") return scrub(node);
  if (Array.isArray(node)) return node.map((item) => scrubStrings(item, scrub));
  if (typeof node === "object" && node !== null) {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, scrubStrings(value, scrub)]),
    );
  }
  return node;
}
