import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { canonicalTimeZone, CronRule } from "./cron_rule.ts";

function runs(rule: CronRule, from: string, count: number): string[] {
  const found: string[] = [];
  let at: Date | null = new Date(from);
  while (found.length < count && at !== null) {
    at = rule.next(at);
    if (at !== null) found.push(at.toISOString());
  }
  return found;
}

Deno.test("CronRule runs weekdays at 09:00 in its zone", () => {
  const rule = CronRule.parse("0 9 * * 1-5", "Europe/Paris");
  // Friday 27 March 2026, 13:00 in Paris: next is Monday 30, in summer time (UTC+2).
  assertEquals(runs(rule, "2026-03-27T12:00:00Z", 2), [
    "2026-03-30T07:00:00.000Z",
    "2026-03-31T07:00:00.000Z",
  ]);
  // The same rule in New York.
  assertEquals(
    CronRule.parse("0 9 * * 1-5", "America/New_York").next(new Date("2026-03-27T12:00:00Z")),
    new Date("2026-03-27T13:00:00Z"),
  );
});

Deno.test("CronRule keeps wall time across the spring change in Europe/Paris", () => {
  const daily = CronRule.parse("0 9 * * *", "Europe/Paris");
  // 09:00 is 08:00Z in winter time and 07:00Z after the change (29 March 2026, 02:00 → 03:00).
  assertEquals(runs(daily, "2026-03-27T12:00:00Z", 3), [
    "2026-03-28T08:00:00.000Z",
    "2026-03-29T07:00:00.000Z",
    "2026-03-30T07:00:00.000Z",
  ]);
  // 02:30 does not exist on 29 March: that run happens once, at 03:00 summer time.
  const night = CronRule.parse("30 2 * * *", "Europe/Paris");
  assertEquals(runs(night, "2026-03-28T00:00:00Z", 3), [
    "2026-03-28T01:30:00.000Z",
    "2026-03-29T01:00:00.000Z",
    "2026-03-30T00:30:00.000Z",
  ]);
});

Deno.test("CronRule runs once across the autumn change in Europe/Paris", () => {
  // 02:30 happens twice on 25 October 2026 (summer, then winter time): one run only.
  const night = CronRule.parse("30 2 * * *", "Europe/Paris");
  assertEquals(runs(night, "2026-10-24T00:00:00Z", 3), [
    "2026-10-24T00:30:00.000Z",
    "2026-10-25T00:30:00.000Z",
    "2026-10-26T01:30:00.000Z",
  ]);
});

Deno.test("CronRule.parse() takes five fields only and says so", () => {
  assertThrows(() => CronRule.parse("*/5 * * * * *", "UTC"), TypeError, "(6 fields)");
  assertThrows(() => CronRule.parse("0 9 * *", "UTC"), TypeError, "five-field cron expression");
  assertThrows(() => CronRule.parse("@daily", "UTC"), TypeError, "(1 field)");
  assertThrows(() => CronRule.parse("", "UTC"), TypeError, "(0 fields)");
});

Deno.test("CronRule.parse() refuses bad fields, rules that never run and unknown zones", () => {
  assertThrows(() => CronRule.parse("61 9 * * *", "UTC"), TypeError, 'Invalid cron expression "61');
  assertThrows(() => CronRule.parse("a b c d e", "UTC"), TypeError, "illegal characters");
  assertThrows(() => CronRule.parse("0 0 30 2 *", "UTC"), TypeError, "it never runs");
  assertThrows(() => CronRule.parse("0 9 * * *", "Mars/Base"), TypeError, 'zone "Mars/Base"');
});

Deno.test("CronRule accepts names and normalises spacing and the zone's spelling", () => {
  const rule = CronRule.parse("  0  9 * JAN-DEC MON-FRI ", "europe/paris");
  assertEquals(rule.expression, "0 9 * JAN-DEC MON-FRI");
  assertEquals(rule.timeZone, "Europe/Paris");
  assertEquals(canonicalTimeZone("Nowhere/Else"), undefined);
  assertEquals(canonicalTimeZone(""), undefined);
});
