import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { formatEvery, parseEvery } from "./every.ts";

Deno.test("parseEvery() reads single units and combinations, largest first", () => {
  assertEquals(parseEvery("90s"), 90_000);
  assertEquals(parseEvery("30m"), 1_800_000);
  assertEquals(parseEvery("1h"), 3_600_000);
  assertEquals(parseEvery("1d"), 86_400_000);
  assertEquals(parseEvery("1h30m"), 5_400_000);
  assertEquals(parseEvery("1d2h3m4s"), 93_784_000);
  assertEquals(parseEvery(" 1s "), 1_000);
});

Deno.test("parseEvery() refuses other spellings with what it expects", () => {
  for (const text of ["", "30", "m", "30 m", "30min", "1.5h", "30m1h", "1h1h", "-5m", "1w"]) {
    assertThrows(() => parseEvery(text), TypeError, "expected an interval like");
  }
  assertThrows(() => parseEvery("0s"), TypeError, "it is zero");
  assertThrows(() => parseEvery("0h0m"), TypeError, "it is zero");
  assertThrows(() => parseEvery("400d"), TypeError, "longer than a year");
});

Deno.test("formatEvery() writes what parseEvery() reads", () => {
  for (const text of ["1s", "90s", "30m", "1h30m", "1d", "1d12h", "2h5s"]) {
    const expected = text === "90s" ? "1m30s" : text;
    assertEquals(formatEvery(parseEvery(text)), expected);
  }
});
