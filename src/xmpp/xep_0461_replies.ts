/**
 * XEP-0461: Message Replies, with the XEP-0428 fallback that quotes the message replied to
 * for clients that do not know replies. Ranges count Unicode code points (XEP-0426).
 *
 * @see https://xmpp.org/extensions/xep-0461.html
 * @see https://xmpp.org/extensions/xep-0428.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The replies namespace. */
export const NS_REPLY = "urn:xmpp:reply:0";

/** The fallback indication namespace (XEP-0428). */
export const NS_FALLBACK = "urn:xmpp:fallback:0";

/** What slixmpp and older clients still send for the fallback. */
const NS_FALLBACK_OLD = "urn:xmpp:feature-fallback:0";

/** A reply to an earlier message. */
export interface ReplyReference {
  /** The id of the message replied to. */
  id: string;
  /** Its author's JID, when given. */
  to?: string;
}

/** The reply a message carries, if any. */
export function replyOf(stanza: XmlElement): ReplyReference | undefined {
  const reply = stanza.getChild("reply", NS_REPLY);
  const id = reply?.attrs.id;
  if (reply === undefined || !id) return undefined;
  return reply.attrs.to ? { id, to: reply.attrs.to } : { id };
}

/**
 * Splits `body` into what the person wrote and the reply fallback (the quote their client
 * put in front), as the message's `<fallback for='urn:xmpp:reply:0'>` ranges say.
 *
 * @param stanza The `<message/>`.
 * @param body Its body, as received.
 * @returns The body without the fallback ranges, and the quoted text without `> ` marks
 * (`undefined` when there is no valid fallback).
 */
export function stripReplyFallback(
  stanza: XmlElement,
  body: string,
): { body: string; quote?: string } {
  const fallback = [
    ...stanza.getChildren("fallback", NS_FALLBACK),
    ...stanza.getChildren("fallback", NS_FALLBACK_OLD),
  ].find((element) => element.attrs.for === NS_REPLY);
  if (fallback === undefined) return { body };
  const points = [...body];
  const ranges = fallback.getChildren("body").map((range) => ({
    start: Number(range.attrs.start),
    end: Number(range.attrs.end),
  })).filter(({ start, end }) =>
    Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end &&
    end <= points.length
  ).sort((a, b) => a.start - b.start);
  if (ranges.length === 0) return { body };
  const kept: string[] = [];
  const quoted: string[] = [];
  let at = 0;
  for (const { start, end } of ranges) {
    if (start < at) continue;
    kept.push(points.slice(at, start).join(""));
    quoted.push(points.slice(start, end).join(""));
    at = end;
  }
  kept.push(points.slice(at).join(""));
  const quote = quoted.join("").split("\n").map((line) => line.replace(/^>\s?/, ""))
    .join("\n").trim();
  return { body: kept.join("").replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd(), quote };
}

/**
 * Builds the elements of a reply: `<reply/>`, and when `fallback` is given (the quote
 * prepended to the body, `fallback.length` code points) its `<fallback/>` range.
 *
 * @param reply The message replied to.
 * @param fallbackLength How many code points at the start of the body are the quote; 0: none.
 */
export function buildReply(reply: ReplyReference, fallbackLength: number): XmlElement[] {
  const elements = [xml("reply", { xmlns: NS_REPLY, to: reply.to, id: reply.id })];
  if (fallbackLength > 0) {
    elements.push(
      xml(
        "fallback",
        { xmlns: NS_FALLBACK, for: NS_REPLY },
        xml("body", { start: "0", end: String(fallbackLength) }),
      ),
    );
  }
  return elements;
}

/**
 * The fallback quote of a reply: the first line of the quoted text, shortened, as `> …`
 * followed by a newline.
 *
 * @param quoted The text of the message replied to.
 */
export function replyFallback(quoted: string): string {
  const line = quoted.trim().split("\n")[0] ?? "";
  const points = [...line];
  const short = points.length <= 80 ? line : `${points.slice(0, 79).join("")}…`;
  return `> ${short}\n`;
}
