import { assertEquals } from "../../tests/support/assert.ts";
import { CronRule } from "./cron_rule.ts";
import { latestRun, nextRun, type Recurrence, shortestGap } from "./recurrence.ts";

const at = (iso: string) => new Date(iso);
const anchor = at("2026-03-27T12:00:00Z");
const every: Recurrence = { type: "every", everyMs: 30 * 60_000, anchor };

Deno.test("nextRun() keeps an every rule on its grid, strictly after the instant", () => {
  assertEquals(nextRun(every, anchor), at("2026-03-27T12:30:00Z"));
  assertEquals(nextRun(every, at("2026-03-27T12:30:00Z")), at("2026-03-27T13:00:00Z"));
  assertEquals(nextRun(every, at("2026-03-27T12:47:13Z")), at("2026-03-27T13:00:00Z"));
  assertEquals(nextRun(every, at("2026-03-27T11:00:00Z")), at("2026-03-27T12:30:00Z"));
  const once: Recurrence = { type: "once", at: at("2026-03-28T00:00:00Z") };
  assertEquals(nextRun(once, anchor), at("2026-03-28T00:00:00Z"));
  assertEquals(nextRun(once, at("2026-03-28T00:00:00Z")), null);
});

Deno.test("latestRun() finds the one run owed in a window, or none", () => {
  const after = at("2026-03-27T12:10:00Z");
  assertEquals(latestRun(every, after, at("2026-03-27T14:05:00Z")), at("2026-03-27T14:00:00Z"));
  assertEquals(latestRun(every, after, at("2026-03-27T12:29:59Z")), null);
  assertEquals(latestRun(every, at("2026-03-27T14:00:00Z"), at("2026-03-27T14:05:00Z")), null);
  const cron: Recurrence = { type: "cron", rule: CronRule.parse("0 9 * * *", "Europe/Paris") };
  assertEquals(
    latestRun(cron, at("2026-03-28T00:00:00Z"), at("2026-03-30T12:00:00Z")),
    at("2026-03-30T07:00:00Z"),
  );
  assertEquals(latestRun(cron, at("2026-03-30T07:00:00Z"), at("2026-03-30T12:00:00Z")), null);
});

Deno.test("shortestGap() is how often a rule runs at most", () => {
  assertEquals(shortestGap(every, anchor), 30 * 60_000);
  const minutely: Recurrence = { type: "cron", rule: CronRule.parse("* * * * *", "UTC") };
  assertEquals(shortestGap(minutely, anchor), 60_000);
  const twice: Recurrence = { type: "cron", rule: CronRule.parse("0,1 9 * * *", "UTC") };
  assertEquals(shortestGap(twice, anchor), 60_000);
});
