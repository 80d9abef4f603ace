/**
 * A typed face over `@xmpp/xml`, which ships no TypeScript types. Only the parts the
 * agent uses are declared.
 *
 * @module
 */
import * as untyped from "@xmpp/xml";

/** An XML element as built and parsed by xmpp.js (an ltx element). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (XmlElement | string)[];
  is(name: string, xmlns?: string): boolean;
  getNS(): string | undefined;
  getAttr(name: string): string | undefined;
  getChild(name: string, xmlns?: string): XmlElement | undefined;
  getChildren(name: string, xmlns?: string): XmlElement[];
  getChildText(name: string, xmlns?: string): string | null;
  getChildElements(): XmlElement[];
  getText(): string;
  text(): string;
  append(...nodes: (XmlElement | string)[]): XmlElement;
  toString(): string;
}

/** A child given to {@linkcode xml}: an element, text, or nothing. */
export type XmlChild = XmlElement | string | undefined | null | false;

// deno-lint-ignore no-explicit-any
const lib = untyped as any;

/**
 * Builds an element, dropping `undefined` attributes and empty children.
 *
 * @example
 * ```ts
 * xml("message", { to: "alice@localhost", type: "chat" }, xml("body", {}, "hi"));
 * ```
 */
export function xml(
  name: string,
  attrs: Record<string, string | undefined> = {},
  ...children: XmlChild[]
): XmlElement {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined) clean[key] = value;
  }
  const kept = children.filter((child) => child !== undefined && child !== null && child !== false);
  return lib.xml(name, clean, ...kept) as XmlElement;
}

/**
 * Parses text that must hold exactly one well-formed element (used by `/raw`).
 *
 * @throws {SyntaxError} When the text is not one well-formed element.
 */
export function parseXml(text: string): XmlElement {
  const parser = new lib.Parser();
  const elements: XmlElement[] = [];
  let ended = false;
  let failure: string | undefined;
  parser.on("element", (element: XmlElement) => elements.push(element));
  parser.on("end", () => ended = true);
  parser.on("error", (error: Error) => failure ??= error.message);
  // The parser is a stream parser: a wrapper makes each top-level element an event.
  parser.write(`<wrapper>${text}</wrapper>`);
  if (failure !== undefined) throw new SyntaxError(`Invalid XML: ${failure}`);
  const stray = (parser.root?.children ?? []).some((c: unknown) =>
    typeof c === "string" && c.trim() !== ""
  );
  const [element] = elements;
  if (!ended || elements.length !== 1 || element === undefined || stray) {
    throw new SyntaxError("Invalid XML: expected exactly one well-formed element");
  }
  return element;
}
