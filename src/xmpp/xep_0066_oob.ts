/**
 * XEP-0066: Out of Band Data — the `jabber:x:oob` attachment element on messages.
 *
 * @see https://xmpp.org/extensions/xep-0066.html
 * @module
 */
import type { OobAttachment } from "./events.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The out-of-band data namespace for messages. */
export const NS_OOB = "jabber:x:oob";

/**
 * Returns every `<x xmlns='jabber:x:oob'>` attachment with a non-empty `<url/>`, in order.
 *
 * @param stanza A `<message/>`.
 */
export function parseOobAttachments(stanza: XmlElement): OobAttachment[] {
  const attachments: OobAttachment[] = [];
  for (const x of stanza.getChildren("x", NS_OOB)) {
    const url = x.getChildText("url")?.trim() ?? "";
    if (url === "") continue;
    const description = x.getChildText("desc")?.trim();
    attachments.push(description ? { url, description } : { url });
  }
  return attachments;
}

/**
 * The body a message keeps next to its attachments: clients put the URL in the body as a
 * fallback for readers without XEP-0066, and that repetition is not something the user said.
 *
 * @param body The body.
 * @param attachments The message's attachments.
 * @returns `""` when the body only repeats an attachment URL, else `body`.
 */
export function bodyBesideAttachments(body: string, attachments: OobAttachment[]): string {
  const text = body.trim();
  return attachments.some((attachment) => attachment.url === text) ? "" : body;
}

/** Builds an `<x xmlns='jabber:x:oob'>` with a file's URL (as Conversations sends files). */
export function buildOob(url: string): XmlElement {
  return xml("x", { xmlns: NS_OOB }, xml("url", {}, url));
}
