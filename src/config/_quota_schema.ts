// The `[quota]` section: tokens each conversation (a bare JID, or a room) may use a day and a
// month, and `[quota.cost]`, the price of each model's tokens for the estimates of /usage.
import { z } from "zod";
import { integer, table, text } from "./_schema_parts.ts";

const PRICE = "expected a price in USD per million tokens (a number, 0 or more)";
const price = () => z.number({ error: PRICE }).min(0, { error: PRICE });

/** One model's prices, USD per million tokens. */
export const modelPriceTable = table({
  input: price(),
  output: price(),
  cache_read: price().optional(),
  cache_write: price().optional(),
});

/** `[quota]` as written, with its defaults: no limit, no prices. */
export const quotaSchema = table({
  daily_tokens: integer(0).default(0),
  monthly_tokens: integer(0).default(0),
  cost: z.record(text("expected a model name"), modelPriceTable, {
    error: 'expected a table of prices by model, like "claude-sonnet-4-5" = { input = 3.0, ' +
      "output = 15.0 }",
  }).default({}),
});

/** The `[quota]` section as validated. */
export type QuotaConfig = z.output<typeof quotaSchema>;
