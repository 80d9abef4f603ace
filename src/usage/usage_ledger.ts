/**
 * The usage ledger: every LLM call's tokens, by conversation and model, written to the data
 * directory as it happens (one JSON line per call, one file per month) and summed in memory
 * for quotas and `/usage`. At start it reads the current month back, so totals survive a
 * restart.
 *
 * @module
 */
import { errorMessage } from "../log/mod.ts";
import { addTotals, emptyTotals, type TokenTotals } from "./token_totals.ts";
import type { UsageFile } from "./usage_file.ts";

/** One LLM call, as a call site records it. */
export interface UsageRecord {
  /** Whose usage it is: a bare JID, or a room. */
  conversation: string;
  /** The model id that answered, `provider:model`. */
  model: string;
  /** What the call was for: `turn`, `subagent`, `compaction`… @default {"turn"} */
  purpose?: string | undefined;
  input_tokens: number;
  output_tokens: number;
  /** @default {0} */
  cache_read_tokens?: number | undefined;
  /** @default {0} */
  cache_write_tokens?: number | undefined;
}

/** One line of a month file. */
interface StoredLine {
  ts: string;
  conversation: string;
  model: string;
  purpose: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

/** Options of {@linkcode UsageLedger.open}. */
export interface UsageLedgerOptions {
  /** The clock; days and months are UTC. @default {() => new Date()} */
  now?: () => Date;
  /** Told about unreadable lines and failed writes. @default {silent} */
  warn?: (message: string) => void;
}

/** `2026-12` of a date, in UTC. */
export function monthKey(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** `2026-12-01` of a date, in UTC. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Records calls and answers "how much has this conversation used today, this month".
 *
 * @example
 * ```ts
 * const ledger = await UsageLedger.open(denoUsageFile(`${dataDir}/usage`));
 * await ledger.record({ conversation: "alice@example.org", model: "anthropic:x",
 *   input_tokens: 120, output_tokens: 40 });
 * ledger.day("alice@example.org"); // Map { "anthropic:x" => { input: 120, output: 40, … } }
 * ```
 */
export class UsageLedger {
  #file: UsageFile;
  #now: () => Date;
  #warn: (message: string) => void;
  /** The month held in memory; older days are dropped when it changes. */
  #month: string;
  /** conversation → day → model → totals, for {@linkcode #month} only. */
  #days = new Map<string, Map<string, Map<string, TokenTotals>>>();
  #tail: Promise<void> = Promise.resolve();

  private constructor(file: UsageFile, options: UsageLedgerOptions) {
    this.#file = file;
    this.#now = options.now ?? (() => new Date());
    this.#warn = options.warn ?? (() => {});
    this.#month = monthKey(this.#now());
  }

  /**
   * Opens the ledger and reads the current month's calls back.
   *
   * @param file Where the month files are
   * @param options Clock and warnings
   * @throws {Error} When the month's file exists and cannot be read
   */
  static async open(file: UsageFile, options: UsageLedgerOptions = {}): Promise<UsageLedger> {
    const ledger = new UsageLedger(file, options);
    const text = await file.read(ledger.#month);
    let damaged = 0;
    for (const line of (text ?? "").split("\n")) {
      if (line.trim() === "") continue;
      const stored = parseLine(line);
      if (stored === undefined) damaged++;
      else ledger.#add(stored);
    }
    // A line cut short by a crash, or edited by hand: its tokens are lost, nothing else.
    if (damaged > 0) ledger.#warn(`Usage ledger ${ledger.#month}: ${damaged} unreadable lines`);
    return ledger;
  }

  /**
   * Records one call: counted at once, written in the background, in order.
   *
   * @param record The conversation, model and tokens
   * @returns Resolves when the line is written; a failed write is warned about, not thrown
   */
  record(record: UsageRecord): Promise<void> {
    const at = this.#now();
    const stored: StoredLine = {
      ts: at.toISOString(),
      conversation: record.conversation,
      model: record.model,
      purpose: record.purpose ?? "turn",
      input: count(record.input_tokens),
      output: count(record.output_tokens),
      cache_read: count(record.cache_read_tokens),
      cache_write: count(record.cache_write_tokens),
    };
    this.#add(stored);
    const month = monthKey(at);
    const write = this.#tail.then(() => this.#file.append(month, JSON.stringify(stored) + "\n"))
      .catch((error: unknown) => {
        this.#warn(
          `Cannot write the usage ledger: ${errorMessage(error)}`,
        );
      });
    this.#tail = write;
    return write;
  }

  /** The conversation's tokens by model on the day of `at` (UTC). @default {today} */
  day(conversation: string, at: Date = this.#now()): Map<string, TokenTotals> {
    this.#roll(at);
    return copy(this.#days.get(conversation)?.get(dayKey(at)));
  }

  /** The conversation's tokens by model in the month of `at` (UTC). @default {this month} */
  month(conversation: string, at: Date = this.#now()): Map<string, TokenTotals> {
    this.#roll(at);
    const byModel = new Map<string, TokenTotals>();
    if (monthKey(at) !== this.#month) return byModel;
    for (const models of this.#days.get(conversation)?.values() ?? []) {
      for (const [model, totals] of models) {
        byModel.set(model, addTotals(byModel.get(model) ?? emptyTotals(), totals));
      }
    }
    return byModel;
  }

  /** Resolves when every line recorded so far is written. */
  flush(): Promise<void> {
    return this.#tail;
  }

  /** At shutdown: writes every line recorded so far, then closes the month's file. */
  async close(): Promise<void> {
    await this.#tail;
    this.#file.close();
  }

  #add(stored: StoredLine): void {
    const at = new Date(stored.ts);
    this.#roll(at);
    if (monthKey(at) !== this.#month) return;
    let days = this.#days.get(stored.conversation);
    if (days === undefined) this.#days.set(stored.conversation, days = new Map());
    const day = dayKey(at);
    let models = days.get(day);
    if (models === undefined) days.set(day, models = new Map());
    models.set(stored.model, addTotals(models.get(stored.model) ?? emptyTotals(), stored));
  }

  /** A new month began: last month's days are no longer asked about. */
  #roll(at: Date): void {
    const month = monthKey(at);
    if (month <= this.#month) return;
    this.#month = month;
    this.#days.clear();
  }
}

function count(value: number | undefined): number {
  return Number.isFinite(value) && value! > 0 ? Math.round(value!) : 0;
}

function copy(models: Map<string, TokenTotals> | undefined): Map<string, TokenTotals> {
  return new Map([...models ?? []].map(([model, totals]) => [model, { ...totals }]));
}

function parseLine(line: string): StoredLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<StoredLine>;
    if (typeof value.ts !== "string" || Number.isNaN(Date.parse(value.ts))) return undefined;
    if (typeof value.conversation !== "string" || typeof value.model !== "string") return undefined;
    return {
      ts: value.ts,
      conversation: value.conversation,
      model: value.model,
      purpose: typeof value.purpose === "string" ? value.purpose : "turn",
      input: count(value.input),
      output: count(value.output),
      cache_read: count(value.cache_read),
      cache_write: count(value.cache_write),
    };
  } catch {
    return undefined;
  }
}
