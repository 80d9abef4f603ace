/**
 * An answer as the messages it goes out in: the LLM's Markdown turned into XEP-0393 styling,
 * and a long answer split at paragraph boundaries so that each message stays under
 * `agent.max_answer_chars` (a paragraph longer than that is cut at lines, then sentences,
 * then words). A code block split across messages is closed at the end of one and opened
 * again at the start of the next, so that each message renders on its own.
 *
 * @module
 */
import { markdownToStyling } from "../xmpp/mod.ts";
import { countChars } from "./count_chars.ts";

/** The default of `agent.max_answer_chars`. */
export const DEFAULT_MAX_ANSWER_CHARS = 8000;

/**
 * The bodies an answer is sent as.
 *
 * @param markdown The LLM's answer.
 * @param maxChars The most characters (code points) of one message, at least 100.
 * @returns One body or more, in order; none is empty.
 * @throws {RangeError} When `maxChars` is below 100.
 */
export function answerParts(
  markdown: string,
  maxChars: number = DEFAULT_MAX_ANSWER_CHARS,
): string[] {
  if (!(maxChars >= 100)) throw new RangeError(`maxChars must be at least 100, got ${maxChars}`);
  return splitParagraphs(markdownToStyling(markdown), maxChars);
}

/**
 * Splits styled text into parts of at most `maxChars` code points, between paragraphs
 * where it can.
 *
 * @param text XEP-0393 styled text.
 * @param maxChars The most characters of one part.
 */
export function splitParagraphs(text: string, maxChars: number): string[] {
  if (countChars(text) <= maxChars) return [text];
  const parts: string[] = [];
  let current = "";
  let currentChars = 0;
  const flush = () => {
    if (current.trim() !== "") parts.push(current.replace(/\s+$/, ""));
    current = "";
    currentChars = 0;
  };
  for (const block of blocks(text)) {
    const chars = countChars(block);
    if (current !== "" && currentChars + 2 + chars <= maxChars) {
      current = `${current}\n\n${block}`;
      currentChars += 2 + chars;
      continue;
    }
    flush();
    if (chars <= maxChars) {
      current = block;
      currentChars = chars;
      continue;
    }
    const pieces = block.startsWith("```")
      ? splitCode(block, maxChars)
      : splitText(block, maxChars);
    parts.push(...pieces.slice(0, -1));
    current = pieces.at(-1) ?? "";
    currentChars = countChars(current);
  }
  flush();
  return parts;
}

/** Paragraphs (separated by blank lines), a code block counting as one whatever it holds. */
function blocks(text: string): string[] {
  const result: string[] = [];
  let lines: string[] = [];
  let inCode = false;
  const end = () => {
    if (lines.length > 0) result.push(lines.join("\n"));
    lines = [];
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) {
      if (!inCode) end();
      lines.push(line);
      inCode = !inCode;
      if (!inCode) end();
      continue;
    }
    if (!inCode && line.trim() === "") {
      end();
      continue;
    }
    lines.push(line);
  }
  end();
  return result;
}

/** A code block longer than a part: line by line, each part a block of its own. */
function splitCode(block: string, maxChars: number): string[] {
  const lines = block.split("\n");
  const open = lines[0] ?? "```";
  const body = lines.slice(1, lines.at(-1) === "```" ? -1 : undefined);
  const room = maxChars - countChars(open) - "\n\n```".length;
  const parts: string[] = [];
  let chunk: string[] = [];
  const push = () => {
    if (chunk.length > 0) parts.push([open, ...chunk, "```"].join("\n"));
    chunk = [];
  };
  for (const line of body) {
    for (const piece of splitText(line, room)) {
      if (countChars([...chunk, piece].join("\n")) > room) push();
      chunk.push(piece);
    }
  }
  push();
  return parts;
}

/** Text with no paragraph break: cut at lines, else sentences, else words, else anywhere. */
function splitText(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (true) {
    const limit = unitsOf(rest, maxChars);
    if (limit >= rest.length) break;
    const head = rest.slice(0, limit);
    let cut = -1;
    for (const pattern of [/\n/g, /[.!?。！？](?=[ \t])/g, /[ \t]/g]) {
      for (const match of head.matchAll(pattern)) cut = match.index + match[0].length;
      if (cut > limit / 2) break;
      cut = -1;
    }
    if (cut <= 0) cut = limit;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \t\n]+/, "");
  }
  if (rest !== "") parts.push(rest);
  return parts;
}

/** How many UTF-16 units hold the first `chars` code points of `text`. */
function unitsOf(text: string, chars: number): number {
  let units = 0;
  let count = 0;
  for (const char of text) {
    if (count++ === chars) break;
    units += char.length;
  }
  return units;
}
