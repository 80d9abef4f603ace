/**
 * The summary entry of a session file: what compaction writes when it replaces the oldest part
 * of the history, in what the LLM sees, by a summary. Every original message stays in the file;
 * the entry says how many messages the summary stands for in all (`compacted_count`) and how
 * many of the messages just before it stay as they are (`kept_count`). Summaries build on each
 * other, so the newest one covers every message of the session before its kept ones.
 *
 * ```json
 * {"type":"summary","compacted_count":42,"kept_count":6,"content":"…","ts":"2026-12-01T12:00:00.000Z"}
 * ```
 *
 * @module
 */
import type { HistoryEntry } from "../memory/mod.ts";

/** A summary entry as stored. */
export interface SummaryEntry {
  type: "summary";
  /** How many messages of the session the summary stands for, from its start. */
  compacted_count: number;
  /** How many messages just before this entry are kept as they are. */
  kept_count: number;
  /** The summary text. */
  content: string;
  ts: string;
}

/**
 * Whether an entry is a well-formed summary entry.
 *
 * @param entry An entry read from a session file.
 */
export function isSummaryEntry(entry: HistoryEntry): entry is HistoryEntry & SummaryEntry {
  const { compacted_count, kept_count, content } = entry as Partial<SummaryEntry>;
  return entry.type === "summary" && typeof content === "string" &&
    Number.isInteger(compacted_count) && Number.isInteger(kept_count) && (kept_count ?? -1) >= 0;
}

/**
 * The newest summary among entries, and where it stands.
 *
 * @param entries Entries in file order.
 */
export function latestSummary(
  entries: readonly HistoryEntry[],
): { summary: SummaryEntry; index: number } | undefined {
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (isSummaryEntry(entry)) return { summary: entry, index };
  }
  return undefined;
}
