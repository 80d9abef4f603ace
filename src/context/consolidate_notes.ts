/**
 * Consolidation of a conversation's `memory.md` once it passes `memory.notes_token_budget`: one
 * LLM call (the `light` tier, through the metered client, so it counts against the quota)
 * rewrites the notes as one list within about half the budget — duplicates merged, superseded
 * facts dropped, every durable fact kept. The rewrite replaces the file as one step, and the
 * text it replaces is appended to `memory.archive.md` beside it, so nothing noted is lost. An
 * answer that is empty, cut off or not smaller than the notes leaves the file as it was.
 *
 * @module
 */
import { estimateTokens, type LlmClient } from "../llm/mod.ts";
import type { NoteFile } from "../memory/mod.ts";

/** The note operations consolidation uses. */
export interface ConsolidationNotes {
  readNote(jid: string, name: NoteFile): Promise<string | null>;
  replaceNote(
    jid: string,
    name: NoteFile,
    text: string,
    options?: { expected?: string | null; archive?: { name: NoteFile; heading: string } },
  ): Promise<boolean>;
}

/** Options of {@linkcode consolidateNotes}. */
export interface ConsolidateNotesOptions {
  /** `memory.notes_token_budget`: notes above it are consolidated. */
  tokenBudget: number;
  /** When it runs (the archive heading's time). */
  now: Date;
  /** The tier of the call. @default {"light"} */
  tier?: string;
  /**
   * Whether to leave notes of this many tokens for later (an earlier attempt failed on about
   * as much). @default {never}
   */
  defer?: (tokens: number) => boolean;
}

/** What {@linkcode consolidateNotes} did. */
export type Consolidation =
  | { kind: "within"; tokens: number }
  | { kind: "replaced"; before: number; after: number }
  | { kind: "kept"; reason: string; tokens: number; raced?: true }
  | { kind: "deferred"; tokens: number };

/** The longest answer asked for: 8,192 tokens is what the smallest light models allow. */
const MAX_ANSWER_TOKENS = 8192;

const SYSTEM = [
  "You keep the long-term notes an AI assistant has about one conversation (a person or a",
  "group). Rewrite the notes you are given as one consolidated Markdown list, one fact per line",
  "starting with '- ': merge duplicates, drop facts that a later note supersedes (notes are dated,",
  "newest last: the newest wins), and keep every other durable fact (names, dates, numbers,",
  "preferences, decisions, promises), self-contained. Dated '## YYYY-MM-DD' headings may be",
  "merged; keep a date on a fact where it matters. Answer with the notes only, no preamble.",
].join(" ");

/**
 * Consolidates a conversation's `memory.md` when it is over the budget.
 *
 * @returns What was done: within the budget, replaced, or kept (and why).
 * @throws {LlmError} When the call fails. @throws {Error} When a file cannot be read or written.
 */
export async function consolidateNotes(
  llm: LlmClient,
  notes: ConsolidationNotes,
  jid: string,
  options: ConsolidateNotesOptions,
): Promise<Consolidation> {
  const original = await notes.readNote(jid, "memory.md");
  const before = original === null ? 0 : estimateTokens(original);
  if (original === null || before <= options.tokenBudget) return { kind: "within", tokens: before };
  if (options.defer?.(before) === true) return { kind: "deferred", tokens: before };
  const target = Math.floor(options.tokenBudget / 2);
  const response = await llm.chat({
    system: `${SYSTEM} Stay within about ${target} tokens (about ${
      Math.floor(target * 0.7)
    } words).`,
    messages: [{ role: "user", content: `The notes to consolidate:\n\n${original}` }],
    // Room past the target, so that a slightly long answer is whole rather than cut off; at
    // most what every light model answers in one call.
    max_tokens: Math.min(options.tokenBudget, MAX_ANSWER_TOKENS),
  }, { tier: options.tier ?? "light", conversation: jid, purpose: "memory_consolidation" });
  if (response.stop_reason === "max_tokens") {
    return { kind: "kept", reason: "the answer was cut off at its token limit", tokens: before };
  }
  const text = unfenced(response.text.trim());
  if (text === "") return { kind: "kept", reason: "the answer was empty", tokens: before };
  const after = estimateTokens(text);
  if (after >= before) {
    return {
      kind: "kept",
      reason: `the answer (${after} tokens) is not smaller than the notes`,
      tokens: before,
    };
  }
  // Facts noted while the call ran were appended after the text it consolidated: they follow it.
  const current = await notes.readNote(jid, "memory.md");
  if (current === null || !current.startsWith(original)) {
    return { kind: "kept", reason: "memory.md changed meanwhile", tokens: before, raced: true };
  }
  const replaced = await notes.replaceNote(
    jid,
    "memory.md",
    `${text}\n${current.slice(original.length)}`,
    {
      expected: current,
      archive: {
        name: "memory.archive.md",
        heading: `## Replaced by consolidated notes at ${options.now.toISOString()}`,
      },
    },
  );
  if (!replaced) {
    return { kind: "kept", reason: "memory.md changed meanwhile", tokens: before, raced: true };
  }
  return { kind: "replaced", before, after };
}

/** The answer without the one code fence a model may wrap a Markdown answer in. */
function unfenced(text: string): string {
  const fenced = /^```[a-z]*\n([^]*)\n```$/.exec(text);
  return fenced === null ? text : fenced[1]!.trim();
}
