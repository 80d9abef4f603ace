/**
 * The words about a message too long to read (see `long_message.ts`): the note the LLM reads
 * in its place, and the answer its sender gets.
 *
 * @module
 */

/** The size of a message that was not read, as its note stores it. */
export interface Oversized {
  /** Its length, in characters (Unicode code points). */
  chars: number;
  /** The limit it broke. */
  limit: number;
}

/**
 * What the LLM reads in place of a message that was not read.
 *
 * @param oversized Its length and the limit.
 */
export function longMessageNote(oversized: Oversized): string {
  return `a message of ${format(oversized.chars)} characters that was not read (over the ` +
    `${format(oversized.limit)}-character limit); the sender was asked to send it as a file`;
}

/**
 * What the sender is told.
 *
 * @param oversized Its length and the limit.
 */
export function longMessageAnswer(oversized: Oversized): string {
  return `Your message was not read: it is ${format(oversized.chars)} characters long, and ` +
    `messages can have at most ${format(oversized.limit)}. Please send long text as a file ` +
    "(an attachment), or in shorter messages.";
}

function format(n: number): string {
  return n.toLocaleString("en-US");
}
