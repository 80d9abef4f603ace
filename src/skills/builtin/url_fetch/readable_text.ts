import { isProbablyReaderable, Readability } from "@mozilla/readability";
import { parseHTML as linkedomParse } from "linkedom";

/** The part of a DOM node the text walk reads (linkedom's nodes; no DOM lib is loaded). */
interface DomNode {
  nodeType: number;
  textContent: string | null;
  tagName?: string;
  childNodes: Iterable<DomNode>;
}

interface DomElement extends DomNode {
  remove(): void;
}

interface DomDocument {
  body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

// linkedom's types lean on the DOM lib, which the agent does not load.
const parseHTML = linkedomParse as unknown as (html: string) => { document: DomDocument };

/** A page reduced to what a reader would read. */
export interface ReadablePage {
  title: string;
  text: string;
}

const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "form",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "tr",
  "ul",
]);
const SKIPPED = new Set(["script", "style", "noscript", "template", "svg", "iframe", "head"]);
const CHROME = "nav, header, footer, aside, form, [role=navigation], [role=banner], " +
  "[role=contentinfo], [aria-hidden=true]";

/**
 * Extracts a page's main content as plain text with Mozilla's Readability (the Firefox
 * Reader View algorithm) over a linkedom DOM: navigation, headers, footers and scripts
 * are left out, headings become `# `, list items `- `, paragraphs are separated by a blank
 * line. A page Readability does not see as an article falls back to its `main` (or body)
 * without the chrome.
 *
 * @param html The page's HTML.
 * @param url The page's URL (resolves relative links inside Readability).
 */
export function readableText(html: string, url: string): ReadablePage {
  const { document } = parseHTML(html);
  const title = (document.querySelector("title")?.textContent ?? "").trim();
  let article: { title?: string | null | undefined; content?: string | null | undefined } | null =
    null;
  try {
    if (!isProbablyReaderable(document as never)) throw new Error("Not an article");
    // Readability mutates the document it reads; give it its own copy.
    const copy = parseHTML(html).document;
    Object.defineProperty(copy, "baseURI", { value: url });
    article = new Readability(copy as never, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  if (article?.content) {
    const content = parseHTML(`<html><body>${article.content}</body></html>`).document;
    const text = content.body ? toText(content.body) : "";
    if (text.length > 0) return { title: (article.title ?? title).trim() || title, text };
  }
  for (const node of document.querySelectorAll(CHROME)) node.remove();
  const main = document.querySelector("main, article, [role=main]") ?? document.body;
  return { title, text: main ? toText(main) : "" };
}

function toText(root: DomNode): string {
  const out: string[] = [];
  walk(root, out);
  return out.join("")
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function walk(node: DomNode, out: string[]): void {
  if (node.nodeType === 3) {
    out.push((node.textContent ?? "").replace(/\s+/g, " "));
    return;
  }
  if (node.nodeType !== 1) return;
  const tag = (node.tagName ?? "").toLowerCase();
  if (SKIPPED.has(tag)) return;
  if (tag === "br") return void out.push("\n");
  if (tag === "pre") return void out.push(`\n\n${node.textContent ?? ""}\n\n`);
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    out.push(`\n\n${"#".repeat(Number(heading[1]))} `);
    for (const child of node.childNodes) walk(child, out);
    return void out.push("\n\n");
  }
  if (tag === "li") out.push("\n- ");
  else if (tag === "td" || tag === "th") out.push(" | ");
  else if (BLOCK.has(tag)) out.push("\n\n");
  for (const child of node.childNodes) walk(child, out);
  if (BLOCK.has(tag) && tag !== "li") out.push("\n\n");
}
