/**
 * XEP-0198: Stream Management — the nonzas, and the counter arithmetic.
 *
 * Both sides count the stanzas (`<message/>`, `<presence/>`, `<iq/>`) they have handled since
 * stream management was enabled; `h` travels as an unsigned 32-bit number that wraps.
 *
 * @see https://xmpp.org/extensions/xep-0198.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The stream management namespace (version 3). */
export const NS_SM = "urn:xmpp:sm:3";

/** `h` wraps at 2^32 (XEP-0198 §5). */
const H_MODULUS = 2 ** 32;

/** What the server said when it enabled stream management. */
export interface SmEnabled {
  /** The session id to resume with; absent when the server does not offer resumption. */
  id?: string;
  /** Whether the session may be resumed. */
  resumable: boolean;
  /** How long (seconds) the server keeps a broken session for resumption, when it says. */
  maxSeconds?: number;
}

/** True for the stanzas that stream management counts. */
export function isCountedStanza(element: XmlElement): boolean {
  return element.name === "message" || element.name === "presence" || element.name === "iq";
}

/** True when `element` is the stream management nonza `name`. */
export function isSm(element: XmlElement, name: string): boolean {
  return element.is(name, NS_SM);
}

/** True when a stream features element offers stream management. */
export function offersSm(features: XmlElement): boolean {
  return features.getChild("sm", NS_SM) !== undefined;
}

/** `<enable/>`, asking for resumption. */
export function buildEnable(): XmlElement {
  return xml("enable", { xmlns: NS_SM, resume: "true" });
}

/** `<resume/>` of session `previd`, having handled `h` of its stanzas. */
export function buildResume(previd: string, h: number): XmlElement {
  return xml("resume", { xmlns: NS_SM, previd, h: String(h) });
}

/** `<a/>`: the answer to `<r/>`, or a last acknowledgement before closing. */
export function buildAck(h: number): XmlElement {
  return xml("a", { xmlns: NS_SM, h: String(h) });
}

/** `<r/>`: asks the peer how many of our stanzas it has handled. */
export function buildAckRequest(): XmlElement {
  return xml("r", { xmlns: NS_SM });
}

/** Reads `<enabled/>`. */
export function parseEnabled(element: XmlElement): SmEnabled {
  const { id, resume, max } = element.attrs;
  const resumable = (resume === "true" || resume === "1") && id !== undefined && id !== "";
  const seconds = Number(max);
  return {
    ...(id === undefined || id === "" ? {} : { id }),
    resumable,
    ...(Number.isFinite(seconds) && seconds > 0 ? { maxSeconds: seconds } : {}),
  };
}

/**
 * The `h` of an `<a/>`, `<resumed/>` or `<failed/>`, or `undefined` when it is absent or not
 * a 32-bit unsigned integer.
 */
export function parseH(element: XmlElement): number | undefined {
  const text = element.attrs.h;
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const h = Number(text);
  return h < H_MODULUS ? h : undefined;
}

/** `h + 1`, wrapping at 2^32. */
export function nextH(h: number): number {
  return (h + 1) % H_MODULUS;
}

/** How many stanzas `h` acknowledges beyond `previous` (wrapping at 2^32). */
export function hDistance(previous: number, h: number): number {
  return (h - previous + H_MODULUS) % H_MODULUS;
}

/** The text of a `<failed/>`'s error condition, e.g. `"item-not-found"`. */
export function failedCondition(element: XmlElement): string {
  const condition = element.getChildElements().find((child) => child.name !== "text");
  return condition?.name ?? "unknown";
}
