/**
 * Which entries of a session the LLM sees under a token budget. The view starts at the newest
 * summary (the summary, then the messages it keeps, then everything after it) and grows by one
 * exchange a turn, so its start — the prefix a prompt cache reuses — stays the same from one
 * compaction to the next. Once the history passes the budget (or the message cap), the newest
 * messages that fit in about half the budget are kept, and the older ones are what compaction
 * summarises; half, so that it does not run again at the next turn. The last exchange is kept
 * whenever it fits beside the summary, even when that is more than half.
 *
 * @module
 */
import { type HistoryEntry, isMessageEntry, type MessageEntry } from "../memory/mod.ts";
import { isSummaryEntry, latestSummary, type SummaryEntry } from "./summary_entry.ts";

/** Where a plain budget cut started: the first message kept, by its time and text. */
export interface CutMark {
  ts: string;
  content: string;
}

/** Options of {@linkcode selectWindow}. */
export interface SelectWindowOptions {
  /** Tokens the history may take (the summary included, the new messages not). */
  budget: number;
  /** The most messages the history may hold. */
  maxMessages: number;
  /** How many of the last entries are this turn's new messages (never cut). @default {0} */
  newEntries?: number;
  /** The estimated tokens of one message. */
  tokens: (entry: MessageEntry) => number;
  /** The estimated tokens of a summary's text. */
  summaryTokens: (text: string) => number;
  /** A plain cut made earlier (compaction off or failing), kept while it fits. */
  cut?: CutMark | undefined;
}

/** What the LLM is to see, and what compaction would do. */
export interface WindowSelection {
  /** The newest summary, when there is one. */
  summary?: SummaryEntry;
  /** The entries after the summary that the LLM sees, new ones included, oldest first. */
  visible: HistoryEntry[];
  /** The estimated tokens of the history shown (summary included, new messages not). */
  tokens: number;
  /**
   * Set when the history from the summary on passes the budget: the messages to summarise
   * (oldest first) and the entries kept after them (`visible` is then these).
   */
  over?: { summarise: MessageEntry[]; keep: HistoryEntry[]; cut: CutMark | undefined };
}

/**
 * Selects the history shown to the LLM.
 *
 * @param entries The session's last entries, in file order, the new ones last.
 * @param options Budget, cap and estimates.
 */
export function selectWindow(
  entries: readonly HistoryEntry[],
  options: SelectWindowOptions,
): WindowSelection {
  const found = latestSummary(entries);
  const start = found === undefined ? 0 : keptStart(entries, found.index, found.summary.kept_count);
  const all = entries.slice(start).filter((entry) => !isSummaryEntry(entry));
  const newCount = options.newEntries ?? 0;
  const history = all.slice(0, all.length - newCount);
  const summaryTokens = found === undefined ? 0 : options.summaryTokens(found.summary.content);
  const base = found === undefined ? {} : { summary: found.summary };
  const cost = (list: readonly HistoryEntry[]) =>
    list.reduce((sum, entry) => sum + (isMessageEntry(entry) ? options.tokens(entry) : 0), 0);
  const count = (list: readonly HistoryEntry[]) => list.filter(isMessageEntry).length;
  const fits = (list: readonly HistoryEntry[]) =>
    summaryTokens + cost(list) <= options.budget && count(list) <= options.maxMessages;
  if (fits(history)) return { ...base, visible: all, tokens: summaryTokens + cost(history) };

  // An earlier plain cut that still fits keeps the view (and the cached prefix) where it was.
  const marked = options.cut === undefined
    ? -1
    : history.findIndex((entry) =>
      isMessageEntry(entry) && entry.ts === options.cut!.ts &&
      entry.content === options.cut!.content
    );
  let from = marked > 0 && fits(history.slice(marked)) ? marked : -1;
  if (from === -1) from = halfCut(history, options, summaryTokens);
  const keep = all.slice(from);
  const first = keep.find(isMessageEntry);
  return {
    ...base,
    visible: keep,
    tokens: summaryTokens + cost(history.slice(from)),
    over: {
      summarise: history.slice(0, from).filter(isMessageEntry),
      keep,
      cut: first === undefined ? undefined : { ts: first.ts, content: first.content },
    },
  };
}

/** The index of the first entry kept: the newest messages within about half the budget. */
function halfCut(
  history: readonly HistoryEntry[],
  options: SelectWindowOptions,
  summaryTokens: number,
): number {
  const target = Math.max(0, Math.floor(options.budget / 2) - summaryTokens);
  const maxKept = Math.floor(options.maxMessages / 2);
  let tokens = 0;
  let messages = 0;
  let from = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (!isMessageEntry(entry)) continue;
    tokens += options.tokens(entry);
    if (tokens > target || ++messages > maxKept) break;
    from = i;
  }
  // The kept part starts with the person's message when it can, as the LLM's view must.
  while (from < history.length) {
    const entry = history[from]!;
    if (isMessageEntry(entry) && entry.role === "user") break;
    from++;
  }
  if (from < history.length) return from;
  // Nothing kept (the summary takes half the budget, or the last exchange is long): the last
  // exchange still, when it fits beside the summary, so the LLM sees what it just said.
  const last = history.findLastIndex((entry) => isMessageEntry(entry) && entry.role === "user");
  if (last === -1) return from;
  const exchange = history.slice(last).filter(isMessageEntry);
  const cost = exchange.reduce((sum, entry) => sum + options.tokens(entry), 0);
  return summaryTokens + cost <= options.budget && exchange.length <= options.maxMessages
    ? last
    : from;
}

/** Where the messages a summary keeps begin: `kept` messages before it. */
function keptStart(entries: readonly HistoryEntry[], index: number, kept: number): number {
  if (kept === 0) return index + 1;
  let seen = 0;
  for (let i = index - 1; i >= 0; i--) {
    if (isMessageEntry(entries[i]!) && ++seen === kept) return i;
  }
  return 0;
}
