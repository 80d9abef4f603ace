/**
 * XEP-0478: Stream Limits Advertisement — the largest stanza a server accepts.
 *
 * @see https://xmpp.org/extensions/xep-0478.html
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/** The stream limits namespace. */
export const NS_STREAM_LIMITS = "urn:xmpp:stream-limits:0";

/**
 * The `max-bytes` a stream features element advertises, or `undefined` when it says none
 * (or nothing sensible).
 */
export function parseStreamLimit(features: XmlElement): number | undefined {
  const text = features.getChild("limits", NS_STREAM_LIMITS)?.getChildText("max-bytes");
  if (text === undefined || text === null || !/^\d{1,10}$/.test(text.trim())) return undefined;
  const bytes = Number(text.trim());
  return bytes > 0 ? bytes : undefined;
}
