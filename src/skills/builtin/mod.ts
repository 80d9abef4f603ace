/**
 * The built-in skills, `web_search` and `url_fetch`, enabled by the config. Each ships a
 * TOML manifest validated like a user skill's.
 *
 * @module
 */
import { sourceUrl } from "../../build/mod.ts";
import { loadSkillManifest } from "../manifest.ts";
import type { SkillSource } from "../skill_registry.ts";
import { URL_FETCH_MANIFEST } from "./url_fetch/manifest.ts";
import {
  WEB_SEARCH_DEFAULT_HOSTS,
  WEB_SEARCH_PROVIDERS,
  webSearchManifest,
  type WebSearchProvider,
} from "./web_search/manifest.ts";

export { WEB_SEARCH_DEFAULT_HOSTS, WEB_SEARCH_PROVIDERS, type WebSearchProvider };

/** `[skills.web_search]`: present = enabled. */
export interface WebSearchConfig {
  provider: WebSearchProvider;
  /** The provider's API key (a credential: may also come from the environment or files). */
  api_key?: string | undefined;
  /** Results returned per search. @default {5} */
  max_results?: number | undefined;
  /** API base URL (a proxy, a test server). @default the provider's */
  host?: string | undefined;
  /** Perplexity model. @default {"sonar"} */
  model?: string | undefined;
}

/** `[skills.url_fetch]`. */
export interface UrlFetchConfig {
  /** @default {false} */
  enabled?: boolean | undefined;
  /** Allow private, loopback and link-local addresses. @default {false} */
  allow_private_hosts?: boolean | undefined;
  /** Longest text returned, in characters. @default {20000} */
  max_chars?: number | undefined;
}

/** The config sections of the built-in skills. */
export interface BuiltinSkillsConfig {
  web_search?: WebSearchConfig | undefined;
  url_fetch?: UrlFetchConfig | undefined;
}

/**
 * The built-in skills the config enables, as registry sources.
 *
 * @throws {SkillManifestError} Never for valid config; the manifests are fixed but for
 *   the web_search host, which must be an http(s) URL (a `TypeError` otherwise).
 */
export function builtinSkillSources(config: BuiltinSkillsConfig): SkillSource[] {
  const sources: SkillSource[] = [];
  const search = config.web_search;
  if (search !== undefined) {
    const host = search.host ?? WEB_SEARCH_DEFAULT_HOSTS[search.provider];
    sources.push({
      manifest: loadSkillManifest(
        webSearchManifest(search.provider, host),
        "builtin:web_search",
      ),
      module: sourceUrl("src/skills/builtin/web_search/mod.ts"),
      builtin: true,
      settings: {
        provider: search.provider,
        host,
        max_results: search.max_results ?? 5,
        ...(search.model === undefined ? {} : { model: search.model }),
      },
      credentialValues: search.api_key === undefined
        ? {}
        : { [`${search.provider}-api-key`]: search.api_key },
    });
  }
  const fetchConfig = config.url_fetch;
  if (fetchConfig?.enabled === true) {
    sources.push({
      manifest: loadSkillManifest(URL_FETCH_MANIFEST, "builtin:url_fetch"),
      module: sourceUrl("src/skills/builtin/url_fetch/mod.ts"),
      builtin: true,
      settings: {
        allow_private_hosts: fetchConfig.allow_private_hosts ?? false,
        max_chars: fetchConfig.max_chars ?? 20_000,
      },
      allowPrivateNetwork: fetchConfig.allow_private_hosts ?? false,
    });
  }
  return sources;
}
