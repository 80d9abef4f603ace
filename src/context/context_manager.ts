/**
 * Each conversation's context: the history the LLM sees under a token budget (model-aware),
 * compaction when it passes the budget (a memory flush, then a summary entry in the session
 * file), the prompt-cache hints, and the cache share of each conversation for `/status`.
 *
 * @module
 */
import {
  type ChatMessage,
  type ChatResponse,
  estimateMessageTokens,
  estimateTokens,
  estimateToolTokens,
  type LlmClient,
  promptTokens,
  TokenCalibration,
  type ToolDefinition,
} from "../llm/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  type ConversationRef,
  type HistoryEntry,
  LruMap,
  type MessageEntry,
  type NewHistoryEntry,
  type NoteFile,
} from "../memory/mod.ts";
import { consolidateNotes, type ConsolidationNotes } from "./consolidate_notes.ts";
import { parseFacts } from "./memory_notes.ts";
import { DEFAULT_NOTES_TOKEN_BUDGET } from "./notes_in_prompt.ts";
import { carrySessionOver, rememberFacts } from "./note_files.ts";
import { type CutMark, selectWindow } from "./select_window.ts";
import { extractFacts, summarise } from "./summariser.ts";
import { latestSummary, type SummaryEntry } from "./summary_entry.ts";

/** The memory operations the context uses. */
export interface ContextMemory {
  recent(ref: ConversationRef, n: number, options?: { include?: "messages" | "all" }): Promise<
    HistoryEntry[]
  >;
  append(ref: ConversationRef, entry: NewHistoryEntry): Promise<unknown>;
  readNote(jid: string, name: NoteFile): Promise<string | null>;
  appendNote(jid: string, name: NoteFile, text: string): Promise<void>;
  clearNote(jid: string, name: NoteFile): Promise<boolean>;
  replaceNote: ConsolidationNotes["replaceNote"];
}

/** The settings of {@linkcode ContextManager}, from `[llm]`, `[memory]` and `[[rooms]]`. */
export interface ContextSettings {
  /** History tokens of a one-to-one conversation. */
  dmBudget: number;
  /** History tokens of a room. */
  mucBudget: number;
  /** Per-room budgets, by room JID. @default {{}} */
  roomBudgets?: Readonly<Record<string, number>>;
  /** The most messages the history holds. @default {100} */
  maxMessages?: number;
  /** The context window of the conversation's model, in tokens. */
  contextWindow: number;
  /** The model whose token counts calibrate the estimates (`provider:model`). */
  modelId: string;
  /** The largest answer (`max_tokens_per_request`). */
  maxTokens: number;
  /** Ask the provider to cache the stable prefix. @default {true} */
  promptCache?: boolean;
  /** Summarise the oldest part when over budget; else cut it from view. @default {true} */
  compaction?: boolean;
  /** Flush durable facts to `memory.md` before summarising. @default {true} */
  memoryFlush?: boolean;
  /** Tokens of `memory.md` past which it is consolidated (`memory.notes_token_budget`). @default {4000} */
  notesTokenBudget?: number;
}

/** What {@linkcode ContextManager.select} works on. */
export interface SelectRequest {
  conversation: ConversationRef;
  /** The session's last entries (from {@linkcode ContextManager.read}), the new ones last. */
  entries: readonly HistoryEntry[];
  /** How many of the last entries are new this turn. */
  newEntries: number;
  system: string;
  tools: readonly ToolDefinition[];
  room: boolean;
  /** The new entry being written: a summary entry goes after it. */
  stored: Promise<unknown>;
  /**
   * The LLM's view of entries (the turn's own rendering), and how many of its messages come
   * whole from the entries before `newFrom`.
   */
  render: (entries: HistoryEntry[], newFrom: number) => Selection;
}

/** The LLM's messages for a turn, and how many of them lead every next request too. */
export interface Selection {
  messages: ChatMessage[];
  /** The history before the new messages, for the cache hints. */
  stable: number;
}

/** One conversation's tally of input tokens. */
interface Tally {
  calls: number;
  input: number;
  read: number;
  written: number;
}

const DEFAULT_MAX_MESSAGES = 100;
/** How many conversations' cuts, tallies and failures are kept (the least recent go). */
const CONVERSATIONS_KEPT = 1024;
/** How long after a failed consolidation the same notes are not sent again. */
const CONSOLIDATION_RETRY_MS = 60 * 60 * 1000;

/**
 * The context of every conversation.
 *
 * @example
 * ```ts
 * const context = new ContextManager({ memory, llm, log, now: () => new Date(), settings });
 * const entries = await context.read("alice@example.org");
 * ```
 */
export class ContextManager {
  #memory: ContextMemory;
  #llm: LlmClient;
  #log: Logger;
  #now: () => Date;
  #settings: ContextSettings;
  #calibration = new TokenCalibration();
  // What is kept per conversation is bounded: a long-running agent meets many. A forgotten
  // cut is made again at the next turn over budget; a forgotten tally or failure is only
  // missing from `/status` of a conversation not seen for a long time.
  #cuts = new LruMap<string, CutMark>(CONVERSATIONS_KEPT);
  #tallies = new LruMap<string, Tally>(CONVERSATIONS_KEPT);
  #failures = new LruMap<string, string>(CONVERSATIONS_KEPT);
  #entryTokens = new WeakMap<MessageEntry, number>();
  #consolidating = new Set<string>();
  /** The last failed consolidation of each conversation: when, and of how many tokens. */
  #consolidationFailures = new LruMap<string, { at: number; tokens: number }>(
    CONVERSATIONS_KEPT,
  );

  constructor(options: {
    memory: ContextMemory;
    llm: LlmClient;
    log: Logger;
    now: () => Date;
    settings: ContextSettings;
  }) {
    this.#memory = options.memory;
    this.#llm = options.llm;
    this.#log = options.log;
    this.#now = options.now;
    this.#settings = options.settings;
  }

  /** Whether requests carry prompt-cache hints. */
  get promptCache(): boolean {
    return this.#settings.promptCache ?? true;
  }

  /** The most messages the history holds. */
  get maxMessages(): number {
    return this.#settings.maxMessages ?? DEFAULT_MAX_MESSAGES;
  }

  /** The session's last entries: enough to reach the newest summary and past the cap. */
  async read(ref: ConversationRef): Promise<HistoryEntry[]> {
    return await this.#memory.recent(ref, this.maxMessages + 1, { include: "all" });
  }

  /**
   * The history budget of a conversation: its configured one, within what the model's
   * context holds beside the system prompt, the tools, the new messages and the answer.
   */
  budget(
    jid: string,
    room: boolean,
    fixed: { system: string; tools: readonly ToolDefinition[]; fresh: number },
  ): number {
    const settings = this.#settings;
    const configured = room ? settings.roomBudgets?.[jid] ?? settings.mucBudget : settings.dmBudget;
    const room_left = settings.contextWindow - this.#correct(estimateTokens(fixed.system)) -
      this.#correct(estimateToolTokens(fixed.tools)) - fixed.fresh - settings.maxTokens;
    return Math.max(0, Math.min(configured, room_left));
  }

  /**
   * The messages a turn sends: the newest summary, the history after it within the budget,
   * and the new messages. Over budget, the oldest part is compacted first (or, compaction off
   * or failing, cut from view, and compaction tried again next turn).
   */
  async select(request: SelectRequest): Promise<Selection> {
    const { conversation, entries, newEntries, room } = request;
    const key = keyOf(conversation);
    const jid = typeof conversation === "string" ? conversation : conversation.jid;
    const fresh = entries.slice(entries.length - newEntries).reduce(
      (sum, entry) => sum + (isMessage(entry) ? this.#messageTokens(entry) : 0),
      0,
    );
    const budget = this.budget(jid, room, { system: request.system, tools: request.tools, fresh });
    const selection = selectWindow(entries, {
      budget,
      maxMessages: this.maxMessages,
      newEntries,
      tokens: (entry) => this.#messageTokens(entry),
      summaryTokens: (text) => this.#correct(estimateTokens(text)),
      cut: this.#cuts.get(key),
    });
    let summary = selection.summary;
    let visible = selection.visible;
    if (selection.over !== undefined && selection.over.summarise.length > 0) {
      const { summarise: old, keep } = selection.over;
      if (this.#settings.compaction ?? true) {
        try {
          await request.stored;
          summary = await this.#compact(conversation, summary, old, keep, room);
          this.#cuts.delete(key);
          this.#failures.delete(key);
        } catch (error) {
          this.#log.warn(
            `Compaction of ${describeRef(conversation)} failed; the oldest ${old.length} ` +
              `messages are left out of this turn's view instead, and compaction is tried ` +
              `again next turn: ${describe(error)}`,
          );
          this.#failures.set(key, this.#now().toISOString());
          if (selection.over.cut !== undefined) this.#cuts.set(key, selection.over.cut);
        }
      } else if (selection.over.cut !== undefined) {
        this.#cuts.set(key, selection.over.cut);
      }
      visible = keep;
    }
    const lead = summary === undefined ? [] : [summaryMessage(summary)];
    const shown = [...lead, ...visible];
    return request.render(shown, shown.length - newEntries);
  }

  /** Notes one call's usage: calibration, the conversation's cache tally, a debug line. */
  observe(
    ref: ConversationRef,
    request: { system: string; messages: ChatMessage[]; tools: readonly ToolDefinition[] },
    response: ChatResponse,
  ): void {
    const estimated = this.estimate(request);
    const usage = response.usage;
    this.#calibration.observe(response.model_id ?? this.#settings.modelId, estimated, usage);
    const key = keyOf(ref);
    const tally = this.#tallies.get(key) ?? { calls: 0, input: 0, read: 0, written: 0 };
    tally.calls++;
    tally.input += usage.input_tokens;
    tally.read += usage.cache_read_tokens ?? 0;
    tally.written += usage.cache_write_tokens ?? 0;
    this.#tallies.set(key, tally);
    this.#log.debug(
      `LLM call for ${describeRef(ref)}: ${promptTokens(usage)} input tokens ` +
        `(${usage.cache_read_tokens ?? 0} read from cache, ` +
        `${usage.cache_write_tokens ?? 0} written to cache, estimated ${estimated}), ` +
        `${usage.output_tokens} output`,
    );
  }

  /** The estimate of a request as the provider would count it, before calibration. */
  estimate(
    request: { system: string; messages: ChatMessage[]; tools: readonly ToolDefinition[] },
  ): number {
    return estimateTokens(request.system) + estimateToolTokens(request.tools) +
      request.messages.reduce((sum, message) => sum + estimateMessageTokens(message), 0);
  }

  /**
   * Compacts a session now (`/compact`): the history before its newest messages (within half
   * the budget, at least the last exchange kept) is summarised.
   *
   * @returns What was done, for the person.
   */
  async compactNow(ref: ConversationRef, room: boolean): Promise<string> {
    const entries = await this.read(ref);
    // Half of this budget is the last exchange: everything before it goes into the summary.
    const lastTwo = entries.filter(isMessage).slice(-2).reduce(
      (sum, entry) => sum + this.#messageTokens(entry),
      0,
    );
    const selection = selectWindow(entries, {
      budget: 2 * lastTwo + 1,
      maxMessages: this.maxMessages,
      tokens: (entry) => this.#messageTokens(entry),
      summaryTokens: () => 0,
    });
    const over = selection.over;
    if (over === undefined || over.summarise.length === 0) {
      return "Nothing to compact: the history is already short.";
    }
    await this.#compact(ref, selection.summary, over.summarise, over.keep, room);
    this.#cuts.delete(keyOf(ref));
    this.#failures.delete(keyOf(ref));
    const total = (selection.summary?.compacted_count ?? 0) + over.summarise.length;
    return `Compacted: ${over.summarise.length} more messages summarised (${total} in all); ` +
      `the originals stay in the session file.`;
  }

  /** Lines for `/status`: the cache share of this conversation and its compaction. */
  async statusLines(ref: ConversationRef): Promise<string[]> {
    const lines: string[] = [];
    const tally = this.#tallies.get(keyOf(ref));
    if (tally !== undefined && tally.calls > 0) {
      const total = tally.input + tally.read + tally.written;
      const share = total === 0 ? 0 : Math.round((tally.read / total) * 100);
      lines.push(
        `Prompt cache: ${share}% of this conversation's input tokens read from cache ` +
          `(${tally.read} of ${total} over ${tally.calls} calls)`,
      );
    }
    const found = latestSummary(await this.read(ref));
    lines.push(
      found === undefined
        ? "Summarised: none of this session's messages"
        : `Summarised: ${found.summary.compacted_count} messages, last compacted ${found.summary.ts}`,
    );
    const failed = this.#failures.get(keyOf(ref));
    if (failed !== undefined) {
      lines.push(`Last compaction failed at ${failed}; it is retried next turn`);
    }
    return lines;
  }

  /** The newest summary of a session (`/context`), when there is one. */
  async summary(ref: ConversationRef): Promise<SummaryEntry | undefined> {
    return latestSummary(await this.read(ref))?.summary;
  }

  async #compact(
    ref: ConversationRef,
    previous: SummaryEntry | undefined,
    old: readonly MessageEntry[],
    keep: readonly HistoryEntry[],
    room: boolean,
  ): Promise<SummaryEntry> {
    const started = performance.now();
    // In a room the flush is skipped: occupants' words never become the agent's own notes,
    // which sit in the system prompt. The summary, which keeps who said what, carries them.
    if ((this.#settings.memoryFlush ?? true) && !room) await this.#flush(ref, old);
    const conversation = typeof ref === "string" ? ref : ref.jid;
    const content = await summarise(this.#llm, previous?.content, old, { room, conversation });
    const entry: SummaryEntry = {
      type: "summary",
      compacted_count: (previous?.compacted_count ?? 0) + old.length,
      kept_count: keep.filter(isMessage).length,
      content,
      ts: this.#now().toISOString(),
    };
    await this.#memory.append(ref, { ...entry } as NewHistoryEntry);
    this.#log.info(
      `Compacted ${describeRef(ref)}: ${old.length} messages summarised ` +
        `(${entry.compacted_count} in all) in ${Math.round(performance.now() - started)} ms`,
    );
    return entry;
  }

  /** Appends the durable facts of the messages to `memory.md`; a failure only warns. */
  async #flush(ref: ConversationRef, old: readonly MessageEntry[]): Promise<void> {
    const jid = typeof ref === "string" ? ref : ref.jid;
    try {
      const facts = parseFacts(
        await extractFacts(this.#llm, old, { room: false, conversation: jid }),
      );
      await this.remember(jid, facts);
    } catch (error) {
      this.#log.warn(`Memory flush of ${describeRef(ref)} failed: ${describe(error)}`);
    }
  }

  /**
   * Appends facts to a conversation's `memory.md`, dated, leaving out those already there; a
   * file left over `notesTokenBudget` is then consolidated (a failure only warns).
   *
   * @returns How many were new.
   */
  async remember(jid: string, facts: readonly string[]): Promise<number> {
    const added = await rememberFacts(this.#memory, jid, facts, this.#now());
    await this.#consolidate(jid);
    return added;
  }

  /** Has the LLM consolidate `memory.md` when it is over the budget; never throws. */
  async #consolidate(jid: string): Promise<void> {
    // One at a time per conversation: a second would rewrite what the first is rewriting.
    if (this.#consolidating.has(jid)) return;
    this.#consolidating.add(jid);
    const budget = this.#settings.notesTokenBudget ?? DEFAULT_NOTES_TOKEN_BUDGET;
    const now = this.#now();
    const failed = this.#consolidationFailures.get(jid);
    // A failed rewrite is not asked again at every flush (each call carries the whole file):
    // only once the notes grew by half a budget, or an hour later.
    const defer = (tokens: number) =>
      failed !== undefined && now.getTime() - failed.at < CONSOLIDATION_RETRY_MS &&
      tokens < failed.tokens + budget / 2;
    try {
      const done = await consolidateNotes(this.#llm, this.#memory, jid, {
        tokenBudget: budget,
        now,
        defer,
      });
      // A file changed while the call ran is tried again at the next flush, as if new.
      if (done.kind === "kept" && done.raced !== true) {
        this.#consolidationFailures.set(jid, { at: now.getTime(), tokens: done.tokens });
      } else if (done.kind !== "deferred") {
        this.#consolidationFailures.delete(jid);
      }
      if (done.kind === "replaced") {
        this.#log.info(
          `Consolidated the memory.md of ${jid}: ${done.before} → ${done.after} tokens ` +
            `(budget ${budget}); the previous text is in memory.archive.md`,
        );
      } else if (done.kind === "kept") {
        this.#log.warn(
          `The memory.md of ${jid} is over its ${budget}-token budget and was left as it was: ` +
            `${done.reason}; the prompt carries its newest lines`,
        );
      }
    } catch (error) {
      this.#consolidationFailures.set(jid, { at: now.getTime(), tokens: Infinity });
      this.#log.warn(
        `Consolidation of the memory.md of ${jid} failed; it was left as it was, and the ` +
          `prompt carries its newest lines: ${describe(error)}`,
      );
    } finally {
      this.#consolidating.delete(jid);
    }
  }

  /**
   * Summarises a session that is ending (`session.carry_over`) into the conversation's
   * `context.md`, which the next session's prompt reads. A `context.md` the agent did not
   * write (a hand-kept or legacy profile) is left as it is.
   *
   * @returns Whether it was written.
   */
  async carryOver(ref: ConversationRef, room: boolean): Promise<boolean> {
    const selection = selectWindow(await this.read(ref), {
      budget: Number.MAX_SAFE_INTEGER,
      maxMessages: Number.MAX_SAFE_INTEGER,
      tokens: () => 0,
      summaryTokens: () => 0,
    });
    const messages = selection.visible.filter(isMessage);
    if (messages.length === 0 && selection.summary === undefined) return false;
    const written = await carrySessionOver(this.#memory, ref, {
      summary: () =>
        summarise(this.#llm, selection.summary?.content, messages, {
          room,
          conversation: typeof ref === "string" ? ref : ref.jid,
        }),
      now: this.#now(),
    });
    if (!written) {
      this.#log.warn(
        `Not carrying ${describeRef(ref)} over: its context.md was not written by the agent`,
      );
    }
    return written;
  }

  #correct(tokens: number): number {
    return this.#calibration.correct(this.#settings.modelId, tokens);
  }

  #messageTokens(entry: MessageEntry): number {
    // The store hands out the same frozen entries turn after turn: each is estimated once.
    let raw = this.#entryTokens.get(entry);
    if (raw === undefined) {
      raw = estimateTokens(entry.content) + (entry.sender === undefined ? 4 : 12);
      this.#entryTokens.set(entry, raw);
    }
    return this.#correct(raw);
  }
}

/** The summary as the first message the LLM sees. */
function summaryMessage(summary: SummaryEntry): MessageEntry {
  return {
    type: "message",
    role: "user",
    content: `[Summary of the ${summary.compacted_count} earlier messages of this conversation, ` +
      `written by the agent]\n${summary.content}`,
    ts: summary.ts,
  };
}

function isMessage(entry: HistoryEntry): entry is MessageEntry {
  return entry.type === "message" && typeof (entry as MessageEntry).content === "string";
}

function keyOf(ref: ConversationRef): string {
  return typeof ref === "string" ? ref : `${ref.jid}#${ref.thread ?? ""}`;
}

function describeRef(ref: ConversationRef): string {
  return typeof ref === "string" ? ref : `${ref.jid}${ref.thread ? ` (thread ${ref.thread})` : ""}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
