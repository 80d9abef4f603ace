/**
 * The `url_fetch` skill: GETs a URL under the network policy (private, loopback and
 * link-local addresses refused on the resolved address, on the connection's peer address and
 * on every redirect, unless the config allows private hosts), up to 5 redirects and 5 MB, and returns the page's
 * readable text, wrapped as untrusted.
 *
 * @module
 */
import {
  BlockedUrlError,
  type Connector,
  type Resolver,
  safeFetch,
  SafeFetchError,
} from "../../../net/mod.ts";
import type { SkillContext, SkillOutput } from "../../skill_protocol.ts";
import { readableText } from "./readable_text.ts";

const MAX_BYTES = 5 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|xml|xhtml\+xml|rss\+xml|atom\+xml|ld\+json))/i;

/** Settings from `[skills.url_fetch]`. */
export interface UrlFetchSettings {
  /** Allow private, loopback and link-local addresses. @default {false} */
  allow_private_hosts?: boolean;
  /** Longest text returned, in characters. @default {20000} */
  max_chars?: number;
}

/** Test seams for {@linkcode fetchReadable}. */
export interface FetchReadableOptions extends UrlFetchSettings {
  /** @default {denoResolve} */
  resolve?: Resolver;
  /** @default {denoConnect} */
  connect?: Connector;
  /** @default {the system's roots} */
  caCerts?: string[];
}

/** The skill entry point. */
export async function run(
  input: Record<string, unknown>,
  context: SkillContext,
): Promise<SkillOutput> {
  const settings = context.settings as UrlFetchSettings;
  return await fetchReadable(String(input.url), {
    ...(settings.allow_private_hosts === undefined
      ? {}
      : { allow_private_hosts: settings.allow_private_hosts }),
    ...(settings.max_chars === undefined ? {} : { max_chars: settings.max_chars }),
  });
}

/**
 * Fetches a URL and returns its readable text as untrusted content.
 *
 * @throws {Error} With a message for the LLM when the URL is refused or the fetch fails.
 */
export async function fetchReadable(
  url: string,
  options: FetchReadableOptions = {},
): Promise<{ content: string; untrusted: true; source: string }> {
  let page;
  try {
    page = await safeFetch(url, {
      allowHttp: true,
      allowPrivate: options.allow_private_hosts ?? false,
      maxBytes: MAX_BYTES,
      maxRedirects: 5,
      connectTimeoutMs: 10_000,
      totalTimeoutMs: 25_000,
      headers: { "accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5" },
      configKeys: { allowPrivate: "skills.url_fetch.allow_private_hosts" },
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
      ...(options.connect === undefined ? {} : { connect: options.connect }),
      ...(options.caCerts === undefined ? {} : { caCerts: options.caCerts }),
    });
  } catch (error) {
    if (error instanceof BlockedUrlError || error instanceof SafeFetchError) {
      throw new Error(error.message, { cause: error });
    }
    throw error;
  }
  const type = page.contentType ?? "text/html";
  if (!TEXT_TYPES.test(type)) {
    throw new Error(`Cannot read ${JSON.stringify(page.url)}: unsupported content type ${type}`);
  }
  const body = decode(page.bytes, type);
  const isHtml = /html/i.test(type) || /^\s*<(!doctype html|html)/i.test(body);
  const readable = isHtml ? readableText(body, page.url) : { title: "", text: body.trim() };
  const max = options.max_chars ?? 20_000;
  const header = [
    `URL: ${page.url}`,
    ...(readable.title ? [`Title: ${readable.title}`] : []),
  ].join("\n");
  const text = readable.text.length > max
    ? `${readable.text.slice(0, max)}\n[Cut at ${max} of ${readable.text.length} characters]`
    : readable.text;
  return { content: `${header}\n\n${text}`, untrusted: true, source: page.url };
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? "utf-8";
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}
