/** The search providers `web_search` speaks to. */
export const WEB_SEARCH_PROVIDERS = ["tavily", "perplexity"] as const;

/** A search provider. */
export type WebSearchProvider = (typeof WEB_SEARCH_PROVIDERS)[number];

/** Each provider's API base URL when `[skills.web_search] host` is not set. */
export const WEB_SEARCH_DEFAULT_HOSTS: Readonly<Record<WebSearchProvider, string>> = {
  tavily: "https://api.tavily.com",
  perplexity: "https://api.perplexity.ai",
};

/**
 * The `web_search` manifest for a provider. Its network capability is exactly the host
 * the config points it at (the provider's API, or a proxy), and its one credential is the
 * provider's API key.
 *
 * @param provider The provider.
 * @param baseUrl The API base URL (`host` from the config, or the provider's default).
 * @throws {TypeError} When `baseUrl` is not an http(s) URL.
 */
export function webSearchManifest(provider: WebSearchProvider, baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Invalid web_search host ${JSON.stringify(baseUrl)}: expected http(s)`);
  }
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `
name = "web_search"
description = """Search the web and return the top results, each with title, URL and \\
snippet. Use it for recent events or facts you are not sure of; then use url_fetch to read a \\
result in full."""

[parameters]
type = "object"
required = ["query"]
additionalProperties = false

[parameters.properties.query]
type = "string"
description = "What to search for, as you would type it into a search engine"
minLength = 1
maxLength = 400

[capabilities]
network = [${JSON.stringify(`${url.hostname}:${port}`)}]
credentials = [${JSON.stringify(`${provider}-api-key`)}]
timeout_secs = 30
`;
}
