/**
 * Usage accounting: the ledger of every LLM call's tokens by conversation and model (in the
 * data directory, surviving restarts), the client wrapper that records into it, daily and
 * monthly token quotas, cost estimates and the text of `/usage`.
 *
 * @example
 * ```ts
 * import { denoUsageFile, meteredLlm, Quota, UsageLedger } from "./usage/mod.ts";
 *
 * const ledger = await UsageLedger.open(denoUsageFile(`${dataDir}/usage`));
 * const llm = meteredLlm(router, ledger);
 * const quota = new Quota(ledger, { dailyTokens: 100_000, monthlyTokens: 0 });
 * ```
 *
 * @module
 */
export { addTotals, emptyTotals, quotaTokens, sumTotals } from "./token_totals.ts";
export type { TokenTotals } from "./token_totals.ts";
export { denoUsageFile, memoryUsageFile } from "./usage_file.ts";
export type { UsageFile } from "./usage_file.ts";
export { dayKey, monthKey, UsageLedger } from "./usage_ledger.ts";
export type { UsageLedgerOptions, UsageRecord } from "./usage_ledger.ts";
export { formatTokens, formatUtc, nextDay, nextMonth, Quota } from "./quota.ts";
export type { QuotaLimits, QuotaPeriod, QuotaStatus, UsageTotalsSource } from "./quota.ts";
export { estimateCost, formatUsd, priceOf } from "./cost.ts";
export type { CostEstimate, ModelPrice } from "./cost.ts";
export { meteredLlm } from "./metered_llm.ts";
export type { UsageRecorder } from "./metered_llm.ts";
export { usageReport } from "./usage_report.ts";
export type { UsageReportSources } from "./usage_report.ts";
