/**
 * Token quotas: each conversation (a bare JID, or a room for everyone in it) may use so many
 * tokens a UTC day and a UTC month. Over a limit, no LLM call is made until it resets, and the
 * person is told when that is.
 *
 * @module
 */
import { formatDuration } from "../commands/mod.ts";
import { quotaTokens, sumTotals, type TokenTotals } from "./token_totals.ts";

/** Where the quota reads what was used (the usage ledger). */
export interface UsageTotalsSource {
  day(conversation: string, at?: Date): Map<string, TokenTotals>;
  month(conversation: string, at?: Date): Map<string, TokenTotals>;
}

/** The limits, in tokens; 0 means no limit. */
export interface QuotaLimits {
  dailyTokens: number;
  monthlyTokens: number;
}

/** One period of a conversation's quota. */
export interface QuotaPeriod {
  /** Tokens used in the period so far. */
  used: number;
  /** The limit; 0 = none. */
  limit: number;
  /** Tokens left (0 when used up); `undefined` without a limit. */
  left: number | undefined;
  /** When the period ends and the count starts again (UTC midnight). */
  resetsAt: Date;
}

/** A conversation's day and month. */
export interface QuotaStatus {
  day: QuotaPeriod;
  month: QuotaPeriod;
}

/** The next UTC midnight after `at`. */
export function nextDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** The first instant of the UTC month after `at`. */
export function nextMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/**
 * Checks conversations against the limits.
 *
 * @example
 * ```ts
 * const quota = new Quota(ledger, { dailyTokens: 100_000, monthlyTokens: 0 });
 * const refusal = quota.refusal("alice@example.org");
 * if (refusal !== undefined) send(refusal); // and no LLM call
 * ```
 */
export class Quota {
  #usage: UsageTotalsSource;
  #limits: QuotaLimits;
  #now: () => Date;

  /**
   * @param usage What each conversation used
   * @param limits Daily and monthly tokens; 0 = unlimited
   * @param options `now`: the clock @default {() => new Date()}
   */
  constructor(usage: UsageTotalsSource, limits: QuotaLimits, options: { now?: () => Date } = {}) {
    this.#usage = usage;
    this.#limits = limits;
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether any limit is set. */
  get limited(): boolean {
    return this.#limits.dailyTokens > 0 || this.#limits.monthlyTokens > 0;
  }

  /** The conversation's day and month now. */
  status(conversation: string): QuotaStatus {
    const at = this.#now();
    const period = (used: number, limit: number, resetsAt: Date): QuotaPeriod => ({
      used,
      limit,
      left: limit > 0 ? Math.max(0, limit - used) : undefined,
      resetsAt,
    });
    return {
      day: period(
        quotaTokens(sumTotals(this.#usage.day(conversation, at))),
        this.#limits.dailyTokens,
        nextDay(at),
      ),
      month: period(
        quotaTokens(sumTotals(this.#usage.month(conversation, at))),
        this.#limits.monthlyTokens,
        nextMonth(at),
      ),
    };
  }

  /**
   * What to tell someone whose conversation has used up a limit, or `undefined` when it may
   * use the LLM. When both are used up, the month's reset is the one that counts.
   *
   * @param conversation A bare JID or a room
   * @param options `room`: the conversation is a room (the message says "this room")
   */
  refusal(conversation: string, options: { room?: boolean } = {}): string | undefined {
    if (!this.limited) return undefined;
    const { day, month } = this.status(conversation);
    const over = month.left === 0
      ? { period: month, name: "this month's" }
      : day.left === 0
      ? { period: day, name: "today's" }
      : undefined;
    if (over === undefined) return undefined;
    const who = options.room ? "This room has" : "You have";
    const wait = formatDuration(over.period.resetsAt.getTime() - this.#now().getTime());
    return `${who} used ${over.name} ${formatTokens(over.period.limit)} tokens ` +
      `(${formatTokens(over.period.used)} used), so I cannot answer for now. ` +
      `The limit resets at ${formatUtc(over.period.resetsAt)} (in ${wait}). ` +
      "Commands such as /usage still work.";
  }
}

/** `100,000`. */
export function formatTokens(tokens: number): string {
  return tokens.toLocaleString("en-US");
}

/** `2026-12-02 00:00 UTC`. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
