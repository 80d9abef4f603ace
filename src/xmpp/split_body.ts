/**
 * Splits a message body that would make a stanza larger than the server accepts (Prosody
 * and ejabberd close the stream of a client that sends one: the whole answer is lost) into
 * parts that fit, cut where a reader expects a break: between paragraphs, else lines, else
 * sentences, else words; never inside a character.
 *
 * @module
 */

/** Options for {@linkcode splitBody}. */
export interface SplitBodyOptions {
  /**
   * A cut is moved back to a paragraph, line, sentence or word break only within the last
   * this-fraction of a part, so that parts stay reasonably full.
   * @default {0.5}
   */
  lookBack?: number;
}

/**
 * Splits `text` into parts whose XML-escaped UTF-8 size is at most `maxBytes` each.
 *
 * @param text The body.
 * @param maxBytes The largest escaped body, in bytes (at least 16).
 * @returns One part when it fits; otherwise the parts in order. Breaks between parts lose
 * the newlines and trailing spaces at the cut, nothing else.
 * @throws {RangeError} When `maxBytes` is below 16.
 *
 * @example
 * ```ts
 * splitBody("a".repeat(10) + "\n\n" + "b".repeat(10), 16); // ["aaaaaaaaaa", "bbbbbbbbbb"]
 * ```
 */
export function splitBody(
  text: string,
  maxBytes: number,
  options: SplitBodyOptions = {},
): string[] {
  if (!(maxBytes >= 16)) throw new RangeError(`maxBytes must be at least 16, got ${maxBytes}`);
  const lookBack = options.lookBack ?? 0.5;
  const parts: string[] = [];
  let rest = text;
  while (true) {
    const fit = fittingLength(rest, maxBytes);
    if (fit === rest.length) break;
    const cut = breakBefore(rest, fit, Math.floor(fit * (1 - lookBack)));
    parts.push(rest.slice(0, cut).replace(/[ \t\r\n]+$/, ""));
    rest = rest.slice(cut).replace(/^[\r\n]+/, "");
  }
  parts.push(rest);
  return parts.filter((part, i) => part !== "" || (i === 0 && parts.length === 1));
}

/** The XML-escaped UTF-8 size of `text`, in bytes. */
export function escapedSize(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += charSize(char.codePointAt(0) ?? 0);
  return bytes;
}

/** How many UTF-16 units of `text`, from its start, fit in `maxBytes` (whole characters). */
function fittingLength(text: string, maxBytes: number): number {
  let bytes = 0;
  let index = 0;
  for (const char of text) {
    bytes += charSize(char.codePointAt(0) ?? 0);
    if (bytes > maxBytes) return index;
    index += char.length;
  }
  return text.length;
}

/** The best place to cut at or before `limit`, not before `floor`. */
function breakBefore(text: string, limit: number, floor: number): number {
  const head = text.slice(0, limit);
  for (const pattern of [/\n[ \t]*\n/g, /\n/g, /[.!?。！？][ \t]/g, /[ \t]/g]) {
    let best = -1;
    for (const match of head.matchAll(pattern)) best = match.index + match[0].length;
    if (best > floor) return best;
  }
  // No break anywhere useful: cut at the limit, which is a character boundary.
  return limit;
}

function charSize(code: number): number {
  if (code === 0x26) return 5; // &amp;
  if (code === 0x3c || code === 0x3e) return 4; // &lt; &gt;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}
