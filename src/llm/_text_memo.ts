/**
 * A memo of values computed from texts, bounded in entries and in characters: a long-running
 * agent sees ever new texts (answers, prompts carrying the time, summaries), and an entry count
 * alone lets a few thousand long texts hold tens of megabytes that no conversation needs
 * any more.
 *
 * @module
 */

/** Options of {@linkcode TextMemo}. */
export interface TextMemoOptions {
  /** The most texts kept. @default {8192} */
  maxEntries?: number;
  /** The most characters kept, all texts together; a longer text is not kept. @default {4_194_304} */
  maxChars?: number;
}

/**
 * Remembers a value per text until either bound would be passed; then it starts afresh (the
 * texts of the turns to come are mostly new ones, and clearing costs nothing per lookup).
 */
export class TextMemo<T> {
  #values = new Map<string, T>();
  #chars = 0;
  readonly #maxEntries: number;
  readonly #maxChars: number;

  /**
   * @param options Its bounds
   * @throws {RangeError} When a bound is not a positive whole number
   */
  constructor(options: TextMemoOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 8192;
    this.#maxChars = options.maxChars ?? 4 * 1024 * 1024;
    for (const [name, value] of [["maxEntries", this.#maxEntries], ["maxChars", this.#maxChars]]) {
      if (!Number.isInteger(value) || (value as number) < 1) {
        throw new RangeError(`TextMemo ${name} must be a positive whole number, got ${value}`);
      }
    }
  }

  /** The value remembered for `text`, or `undefined`. */
  get(text: string): T | undefined {
    return this.#values.get(text);
  }

  /** Remembers `value` for `text`, unless the text alone is longer than the character bound. */
  set(text: string, value: T): void {
    if (text.length > this.#maxChars || this.#values.has(text)) return;
    if (this.#values.size >= this.#maxEntries || this.#chars + text.length > this.#maxChars) {
      this.#values.clear();
      this.#chars = 0;
    }
    this.#values.set(text, value);
    this.#chars += text.length;
  }

  /** Texts kept now. */
  get size(): number {
    return this.#values.size;
  }

  /** Characters kept now, all texts together. */
  get chars(): number {
    return this.#chars;
  }
}
