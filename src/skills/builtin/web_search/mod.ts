/**
 * The `web_search` skill: Tavily (`POST /search`) or Perplexity (chat completions, which
 * answer with the search results they used). Results are formatted as title, URL and
 * snippet and returned as untrusted content; provider errors become tool errors.
 *
 * @module
 */
import type { SkillContext, SkillOutput } from "../../skill_protocol.ts";
import { WEB_SEARCH_DEFAULT_HOSTS, type WebSearchProvider } from "./manifest.ts";

/** Settings from `[skills.web_search]`, minus the key (a credential). */
export interface WebSearchSettings {
  provider: WebSearchProvider;
  /** API base URL. @default the provider's */
  host?: string;
  /** Results returned. @default {5} */
  max_results?: number;
  /** Perplexity model. @default {"sonar"} */
  model?: string;
}

/** One search result. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

/** The skill entry point. */
export async function run(
  input: Record<string, unknown>,
  context: SkillContext,
): Promise<SkillOutput> {
  const settings = context.settings as unknown as WebSearchSettings;
  const provider = settings.provider;
  const key = context.credentials[`${provider}-api-key`];
  if (key === undefined) throw new Error(`No API key for ${provider}`);
  const query = String(input.query);
  const base = (settings.host ?? WEB_SEARCH_DEFAULT_HOSTS[provider]).replace(/\/+$/, "");
  const max = settings.max_results ?? 5;
  const found = provider === "tavily"
    ? await tavily(base, key, query, max)
    : await perplexity(base, key, query, { max, model: settings.model ?? "sonar" });
  return {
    content: formatResults(query, found.results, found.answer),
    untrusted: true,
    source: `web_search (${provider})`,
  };
}

/** What a provider found. */
interface Found {
  results: SearchResult[];
  answer?: string;
}

async function tavily(base: string, key: string, query: string, max: number): Promise<Found> {
  const body = await post(`${base}/search`, key, { query, max_results: max }, "Tavily");
  const results = Array.isArray(body.results) ? body.results : [];
  return {
    results: results.slice(0, max).map((item: Record<string, unknown>) => ({
      title: text(item.title),
      url: text(item.url),
      snippet: text(item.content),
    })),
  };
}

async function perplexity(
  base: string,
  key: string,
  query: string,
  options: { max: number; model: string },
): Promise<Found> {
  const body = await post(`${base}/chat/completions`, key, {
    model: options.model,
    messages: [{ role: "user", content: query }],
  }, "Perplexity");
  const answer = text(body.choices?.[0]?.message?.content);
  const listed: Record<string, unknown>[] = Array.isArray(body.search_results)
    ? body.search_results
    : Array.isArray(body.citations)
    ? body.citations.map((url: unknown) => ({ url }))
    : [];
  return {
    answer,
    results: listed.slice(0, options.max).map((item) => ({
      title: text(item.title) || text(item.url),
      url: text(item.url),
      snippet: text(item.snippet ?? item.date),
    })),
  };
}

// deno-lint-ignore no-explicit-any
async function post(url: string, key: string, payload: unknown, name: string): Promise<any> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "authorization": `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(25_000),
  });
  const raw = await response.text();
  if (!response.ok) {
    const detail = raw.replace(/\s+/g, " ").slice(0, 200);
    throw new Error(`${name} answered HTTP ${response.status}${detail ? `: ${detail}` : ""}`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${name} answered with something other than JSON`);
  }
}

/**
 * Formats results as a numbered list of title, URL and snippet, after the provider's
 * answer when there is one.
 */
export function formatResults(query: string, results: SearchResult[], answer = ""): string {
  const lines = [`Search results for ${JSON.stringify(query)}:`];
  if (answer) lines.push("", `Answer: ${answer.trim()}`, "", "Sources:");
  if (results.length === 0) lines.push("No results.");
  results.forEach((result, index) => {
    lines.push(`${index + 1}. ${result.title || "(untitled)"}`, `   ${result.url}`);
    if (result.snippet) {
      lines.push(`   ${result.snippet.replace(/\s+/g, " ").trim().slice(0, 500)}`);
    }
  });
  return lines.join("\n");
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
