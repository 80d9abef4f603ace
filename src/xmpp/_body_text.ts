/**
 * The text of a message's `<body/>` as the agent keeps it.
 *
 * @module
 */
import type { XmlElement } from "./_xml.ts";

/**
 * The body of `stanza` without leading blank lines and trailing whitespace. The first
 * line's indentation stays: it belongs to what the person wrote (code, an indented quote).
 *
 * @param stanza A `<message/>`.
 * @returns The text, `""` when there is no body or it is blank.
 */
export function bodyText(stanza: XmlElement): string {
  return (stanza.getChildText("body") ?? "").replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
}
