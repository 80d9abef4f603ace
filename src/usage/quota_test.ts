import assert from "node:assert/strict";
import { memoryUsageFile } from "./usage_file.ts";
import { UsageLedger } from "./usage_ledger.ts";
import { nextDay, nextMonth, Quota } from "./quota.ts";

async function setUp(start: string, limits: { dailyTokens: number; monthlyTokens: number }) {
  const clock = { now: new Date(start) };
  const ledger = await UsageLedger.open(memoryUsageFile(), { now: () => clock.now });
  const quota = new Quota(ledger, limits, { now: () => clock.now });
  const use = (tokens: number, conversation = "alice@x") =>
    ledger.record({ conversation, model: "a:m", input_tokens: tokens, output_tokens: 0 });
  return { clock, quota, use };
}

Deno.test("nextDay() and nextMonth() are UTC midnights, across a year's end", () => {
  assert.equal(
    nextDay(new Date("2026-12-31T23:59:59.999Z")).toISOString(),
    "2027-01-01T00:00:00.000Z",
  );
  assert.equal(nextDay(new Date("2026-12-01T00:00:00Z")).toISOString(), "2026-12-02T00:00:00.000Z");
  assert.equal(
    nextMonth(new Date("2026-12-15T12:00:00Z")).toISOString(),
    "2027-01-01T00:00:00.000Z",
  );
  assert.equal(
    nextMonth(new Date("2027-02-28T23:00:00Z")).toISOString(),
    "2027-03-01T00:00:00.000Z",
  );
});

Deno.test("Quota refuses at the daily limit and allows again after UTC midnight", async () => {
  const { clock, quota, use } = await setUp("2026-12-01T22:30:00Z", {
    dailyTokens: 1000,
    monthlyTokens: 0,
  });
  await use(999);
  assert.equal(quota.refusal("alice@x"), undefined, "one token left");
  assert.equal(quota.status("alice@x").day.left, 1);
  await use(5);
  const refusal = quota.refusal("alice@x");
  assert.equal(
    refusal,
    "You have used today's 1,000 tokens (1,004 used), so I cannot answer for now. The limit " +
      "resets at 2026-12-02 00:00 UTC (in 1h 30m 0s). Commands such as /usage still work.",
  );
  assert.equal(quota.status("alice@x").day.left, 0);
  assert.equal(quota.refusal("bob@x"), undefined, "another person has their own quota");
  assert.match(quota.refusal("alice@x", { room: true }) ?? "", /^This room has used today's/);

  clock.now = new Date("2026-12-01T23:59:59Z");
  assert.notEqual(quota.refusal("alice@x"), undefined, "a second before midnight");
  clock.now = new Date("2026-12-02T00:00:00Z");
  assert.equal(quota.refusal("alice@x"), undefined, "a new day");
  assert.deepEqual(quota.status("alice@x").day, {
    used: 0,
    limit: 1000,
    left: 1000,
    resetsAt: new Date("2026-12-03T00:00:00Z"),
  });
  assert.equal(quota.status("alice@x").month.used, 1004, "the month still counts it");
  assert.equal(quota.status("alice@x").month.left, undefined, "no monthly limit");
});

Deno.test("Quota's monthly limit outlasts the days and resets on the 1st; its reset is the one told", async () => {
  const { clock, quota, use } = await setUp("2026-12-30T10:00:00Z", {
    dailyTokens: 600,
    monthlyTokens: 1000,
  });
  await use(600);
  clock.now = new Date("2026-12-31T10:00:00Z");
  assert.equal(quota.refusal("alice@x"), undefined);
  await use(600);
  // Both limits are used up: the month's reset comes later and is the one that counts.
  assert.match(
    quota.refusal("alice@x") ?? "",
    /this month's 1,000 tokens \(1,200 used\).*2027-01-01 00:00 UTC \(in 14h 0m 0s\)/,
  );
  clock.now = new Date("2027-01-01T00:00:00Z");
  assert.equal(quota.refusal("alice@x"), undefined, "a new month");
  assert.equal(quota.status("alice@x").month.used, 0);
});

Deno.test("Quota without limits never refuses", async () => {
  const { quota, use } = await setUp("2026-12-01T10:00:00Z", { dailyTokens: 0, monthlyTokens: 0 });
  await use(10_000_000);
  assert.equal(quota.limited, false);
  assert.equal(quota.refusal("alice@x"), undefined);
  assert.equal(quota.status("alice@x").day.used, 10_000_000);
});
