/**
 * Text measures shared by the chunkers and the keyword query: a token estimate, splitting a
 * text that is too long for one chunk, and the words a keyword search looks for.
 *
 * @module
 */

/**
 * Characters per token for the estimate: about four for English and most European
 * languages with the tokenizers embedding models use. Chunk sizes are approximate anyway.
 */
export const CHARS_PER_TOKEN = 4;

/** About how many tokens `text` holds. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Cuts a text longer than `maxChars` into pieces of at most `maxChars`, at whitespace
 * where there is some, each piece repeating about `overlapChars` of the previous one's end.
 */
export function splitLong(text: string, maxChars: number, overlapChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxChars);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > start + maxChars / 2) end = space;
    }
    pieces.push(text.slice(start, end).trim());
    if (end >= text.length) break;
    let next = Math.max(start + 1, end - overlapChars);
    const space = text.indexOf(" ", next);
    if (space !== -1 && space < end) next = space + 1;
    start = next;
  }
  return pieces.filter((piece) => piece !== "");
}

const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * The distinct words of a text, lower-cased, as FTS5's `unicode61` tokenizer splits them
 * (letters, digits and `_`); one-letter ASCII words are left out.
 */
export function words(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.normalize("NFC").toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length === 1 && word < "\u0080") continue;
    seen.add(word);
  }
  return [...seen];
}
