/**
 * The length of a text as a reader counts it: in characters (Unicode code points), not in
 * UTF-16 units.
 *
 * @module
 */

/**
 * The length of `text` in characters (Unicode code points).
 *
 * @param text Any text.
 */
export function countChars(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // The second half of a surrogate pair belongs to the character counted before it.
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}
