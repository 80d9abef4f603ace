/**
 * What the system prompt carries of a conversation's `memory.md`: the whole file while it fits
 * in `memory.notes_token_budget`, else its newest whole lines within the budget (facts are
 * appended dated at the end, newest last) under a line saying how many older ones are left out
 * and where they are. Without that bound the notes grow with every flush and `remember` until
 * the prompt leaves no room for the history.
 *
 * The result depends on the text alone, so the prompt stays byte-stable from one turn to the
 * next while the file does not change (a prompt cache depends on it).
 *
 * @module
 */
import { estimateTokens } from "../llm/mod.ts";

/** The default of `memory.notes_token_budget`. */
export const DEFAULT_NOTES_TOKEN_BUDGET = 4000;

/** Options of {@linkcode notesInPrompt}. */
export interface NotesInPromptOptions {
  /** The most tokens of notes the prompt carries. @default {4000} */
  tokenBudget?: number;
  /** Whether memory search indexes `memory.md`, so the left-out lines can be found. @default {false} */
  searchable?: boolean;
}

/**
 * The notes as the system prompt carries them.
 *
 * @param text The text of `memory.md`.
 * @returns The text itself when within the budget, else a note line and the newest lines.
 * @example
 * ```ts
 * notesInPrompt(notes, { tokenBudget: 4000, searchable: true });
 * ```
 */
export function notesInPrompt(text: string, options: NotesInPromptOptions = {}): string {
  const budget = options.tokenBudget ?? DEFAULT_NOTES_TOKEN_BUDGET;
  if (estimateTokens(text) <= budget) return text;
  const lines = text.replace(/\n+$/, "").split("\n");
  // The note line's own cost, with a count as long as any this file could need.
  const room = budget - estimateTokens(leftOutLine(lines.length, options.searchable ?? false));
  let used = 0;
  let from = lines.length;
  while (from > 0) {
    const cost = estimateTokens(`${lines[from - 1]}\n`);
    if (used + cost > room) break;
    used += cost;
    from--;
  }
  // The dated heading the first kept fact sits under, so that fact keeps its date.
  const at = lines.slice(0, from).findLastIndex((line) => line.startsWith("## "));
  let heading: string[] = [];
  if (at !== -1 && from < lines.length && !lines[from]!.startsWith("## ")) {
    const cost = estimateTokens(`${lines[at]}\n`);
    while (from < lines.length && used + cost > room) {
      used -= estimateTokens(`${lines[from]}\n`);
      from++;
    }
    if (from < lines.length && !lines[from]!.startsWith("## ")) heading = [lines[at]!];
  }
  const shown = [...heading, ...lines.slice(from)];
  const note = leftOutLine(lines.length - shown.length, options.searchable ?? false);
  return shown.length === 0 ? `${note}\n` : `${note}\n${shown.join("\n")}\n`;
}

/** The line above the kept notes: how many are left out, and where they are. */
function leftOutLine(omitted: number, searchable: boolean): string {
  return `[Older notes left out here: ${omitted} ${omitted === 1 ? "line" : "lines"}. ` +
    `They stay in memory.md${searchable ? ", and memory_search finds them" : ""}.]`;
}
