import type { Config } from "./schema.ts";
import { REDACTED, secretScrubber } from "./secret_scrubber.ts";
import { UNSET } from "./_unset.ts";

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
 * A copy of the config safe to print: `server.password`, `server.component_secret`,
 * `llm.api_key` (and each provider's), `skills.web_search.api_key`, `webhooks.admin_token` and
 * each webhook route's `secret` become `********` (`(unset)` for an absent password or API key)
 * and known secret values are
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
    llm: {
      ...copy.llm,
      // With `default`, this is a provider's key, whose variable --no-secrets may leave unset.
      api_key: config.llm.api_key === undefined || config.llm.api_key === UNSET ? UNSET : REDACTED,
      providers: Object.fromEntries(
        Object.entries(config.llm.providers).map(([name, provider]) => [name, {
          ...copy.llm.providers[name as keyof typeof config.llm.providers],
          // A variable left unset by --no-secrets expands to the UNSET placeholder itself.
          ...(provider.api_key === undefined
            ? {}
            : { api_key: provider.api_key === UNSET ? UNSET : REDACTED }),
        }]),
      ),
    },
    skills: copy.skills.web_search?.api_key === undefined ? copy.skills : {
      ...copy.skills,
      web_search: { ...copy.skills.web_search, api_key: REDACTED },
    },
    ...(copy.webhooks === undefined ? {} : {
      webhooks: {
        ...copy.webhooks,
        ...(copy.webhooks.admin_token === undefined ? {} : { admin_token: REDACTED }),
        routes: copy.webhooks.routes.map((route) => ({ ...route, secret: REDACTED })),
      },
    }),
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
