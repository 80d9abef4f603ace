/**
 * Cuts text that arrives piece by piece into the paragraphs a reader sees: a paragraph ends
 * at a blank line, a fenced code block (```` ``` ```` or `~~~`) is one piece from its opening
 * fence to its closing one, blank lines inside it included, and the text before a fence is a
 * paragraph of its own.
 *
 * @module
 */

/** Options of {@linkcode ParagraphChunker}. */
export interface ParagraphChunkerOptions {
  /**
   * A paragraph outside code that grows past this many characters without a blank line ends at
   * its next line break, so that a wall of text is not held back to the end.
   * @default {4000}
   */
  maxChars?: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Takes text as it comes ({@linkcode push}) and hands back each paragraph or code block once it
 * is complete: once the blank line (or closing fence) after it is in and the next piece of
 * text has begun. The wait for that next text keeps a paragraph that turns out to be the last
 * one for {@linkcode finish}, which knows it is the last.
 *
 * @example
 * ```ts
 * const chunker = new ParagraphChunker();
 * chunker.push("One.\n\nTw"); // ["One."]
 * chunker.push("o.");         // []
 * chunker.finish();           // "Two."
 * ```
 */
export class ParagraphChunker {
  #maxChars: number;
  /** The piece being built, complete lines only. */
  #pending = "";
  /** The last line, not yet ended by a line break. */
  #carry = "";
  /** The fence of the open code block, if one is open. */
  #fence: string | undefined;
  /** The pending piece is complete: it goes out when the next text begins. */
  #complete = false;
  #emitted = 0;

  /** @param options Where a long paragraph is cut */
  constructor(options: ParagraphChunkerOptions = {}) {
    this.#maxChars = options.maxChars ?? 4000;
  }

  /** How many pieces {@linkcode push} has handed back so far. */
  get emitted(): number {
    return this.#emitted;
  }

  /**
   * Adds text; returns the pieces it completed, in order (often none).
   *
   * @param text The next piece of the text, of any length
   */
  push(text: string): string[] {
    const out: string[] = [];
    const lines = (this.#carry + text).split("\n");
    this.#carry = lines.pop() ?? "";
    for (const line of lines) this.#line(line, out);
    // The next piece has begun: a complete one before it can go.
    if (this.#complete && this.#carry.trim() !== "") this.#emit(out);
    return out;
  }

  /** Ends the text; returns the last piece ("" when there is none). */
  finish(): string {
    const last = tidy(this.#pending + this.#carry);
    this.#pending = "";
    this.#carry = "";
    this.#fence = undefined;
    this.#complete = false;
    return last;
  }

  #line(line: string, out: string[]): void {
    if (this.#fence !== undefined) {
      this.#pending += `${line}\n`;
      const closing = FENCE.exec(line);
      if (
        closing !== null && closing[1]!.startsWith(this.#fence) &&
        line.slice(closing[0].length).trim() === ""
      ) {
        this.#fence = undefined;
        this.#complete = true;
      }
      return;
    }
    const opening = FENCE.exec(line);
    if (line.trim() === "") {
      if (this.#pending.trim() !== "") this.#complete = true;
      return;
    }
    if (opening !== null || this.#complete) {
      if (this.#pending.trim() !== "") this.#emit(out);
    }
    this.#pending += `${line}\n`;
    if (opening !== null) {
      this.#fence = opening[1]!;
      return;
    }
    if (this.#pending.length >= this.#maxChars) this.#complete = true;
  }

  #emit(out: string[]): void {
    const piece = tidy(this.#pending);
    this.#pending = "";
    this.#complete = false;
    if (piece === "") return;
    out.push(piece);
    this.#emitted++;
  }
}

/** Without the blank lines around it and the spaces that end it; indentation stays. */
function tidy(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
}
