/**
 * The text of `/usage`: a conversation's tokens today and this month, their estimated cost,
 * and what its quota leaves.
 *
 * @module
 */
import { formatDuration } from "../commands/mod.ts";
import { estimateCost, formatUsd, type ModelPrice } from "./cost.ts";
import { formatTokens, formatUtc, type Quota, type QuotaPeriod } from "./quota.ts";
import { quotaTokens, sumTotals, type TokenTotals } from "./token_totals.ts";
import { dayKey, monthKey, type UsageLedger } from "./usage_ledger.ts";

/** What the report reads. */
export interface UsageReportSources {
  ledger: Pick<UsageLedger, "day" | "month">;
  quota: Quota;
  /** `[quota.cost]`. */
  prices: Readonly<Record<string, ModelPrice>>;
  now: () => Date;
}

/**
 * Describes a conversation's usage.
 *
 * @param conversation A bare JID or a room
 * @param sources The ledger, the quota, the prices, the clock
 */
export function usageReport(conversation: string, sources: UsageReportSources): string {
  const at = sources.now();
  const day = sources.ledger.day(conversation, at);
  const month = sources.ledger.month(conversation, at);
  const status = sources.quota.status(conversation);
  const cost = (byModel: Map<string, TokenTotals>) => {
    if (Object.keys(sources.prices).length === 0) return "";
    const estimate = estimateCost(byModel, sources.prices);
    const unpriced = estimate.unpriced.length === 0
      ? ""
      : ` (no price for ${estimate.unpriced.join(", ")})`;
    return `, about ${formatUsd(estimate.usd)}${unpriced}`;
  };
  const line = (label: string, byModel: Map<string, TokenTotals>) => {
    const sum = sumTotals(byModel);
    return `${label}: ${formatTokens(quotaTokens(sum))} tokens (input ${
      formatTokens(sum.input)
    }, ` +
      `output ${formatTokens(sum.output)}, cache read ${formatTokens(sum.cache_read)}, ` +
      `cache write ${formatTokens(sum.cache_write)})${cost(byModel)}`;
  };
  const models = [...month].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(
    ([model, totals]) => `- ${model}: ${formatTokens(quotaTokens(totals))} tokens`,
  );
  return [
    `Usage of ${conversation}`,
    line(`Today (${dayKey(at)} UTC)`, day),
    line(`This month (${monthKey(at)})`, month),
    ...(models.length === 0 ? [] : ["By model this month:", ...models]),
    limitLine("Daily limit", status.day, at),
    limitLine("Monthly limit", status.month, at),
  ].join("\n");
}

function limitLine(label: string, period: QuotaPeriod, at: Date): string {
  if (period.left === undefined) return `${label}: none`;
  const wait = formatDuration(period.resetsAt.getTime() - at.getTime());
  return `${label}: ${formatTokens(period.limit)} tokens, ${formatTokens(period.left)} left ` +
    `(resets ${formatUtc(period.resetsAt)}, in ${wait})`;
}
