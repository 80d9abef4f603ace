import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { factLine, MAX_FACT_CHARS } from "./shared_facts.ts";

const now = new Date("2026-12-01T09:00:00Z");

Deno.test("factLine() makes one list line with who and when, whatever the fact holds", () => {
  assertEquals(
    factLine("  The VPN is\nvpn.example.org  ", "admin@example.org", now),
    "- The VPN is vpn.example.org (added by admin@example.org, 2026-12-01)",
  );
  assertEquals(factLine("# Heading", "a@b", now), "- \\# Heading (added by a@b, 2026-12-01)");
  assertEquals(factLine("1. first", "a@b", now), "- \\1. first (added by a@b, 2026-12-01)");
  assertEquals(factLine("tab\there\u200bx", "a@b", now), "- tab here x (added by a@b, 2026-12-01)");
});

Deno.test("factLine() refuses an empty or overlong fact", () => {
  assertThrows(() => factLine(" \n ", "a@b", now), RangeError, "empty");
  assertThrows(() => factLine("x".repeat(MAX_FACT_CHARS + 1), "a@b", now), RangeError, "at most");
});
