import { assertEquals } from "../../tests/support/assert.ts";
import { FakeClock } from "./fake_clock.ts";

Deno.test("FakeClock fires timers in order, each at its own instant, only when advanced", async () => {
  const clock = new FakeClock("2026-03-27T12:00:00Z");
  const seen: string[] = [];
  const note = (label: string) => () => seen.push(`${label}@${clock.now().toISOString()}`);
  clock.setTimeout(note("b"), 2_000);
  clock.setTimeout(note("a"), 1_000);
  const cancelled = clock.setTimeout(note("never"), 1_500);
  clock.clearTimeout(cancelled);
  assertEquals(seen, []);
  await clock.advance(1_500);
  assertEquals(seen, ["a@2026-03-27T12:00:01.000Z"]);
  assertEquals(clock.now().toISOString(), "2026-03-27T12:00:01.500Z");
  await clock.advanceTo("2026-03-27T12:00:05Z");
  assertEquals(seen, ["a@2026-03-27T12:00:01.000Z", "b@2026-03-27T12:00:02.000Z"]);
  assertEquals(clock.pendingTimers, 0);
});

Deno.test("FakeClock fires a timer set by a callback when it falls in the window, after its work settles", async () => {
  const clock = new FakeClock("2026-03-27T12:00:00Z");
  const seen: number[] = [];
  const tick = () => {
    // The work a timer starts (here a promise chain) finishes before the next timer fires.
    Promise.resolve().then(() => Promise.resolve()).then(() => {
      seen.push(clock.now().getTime());
      if (seen.length < 5) clock.setTimeout(tick, 1_000);
    });
  };
  clock.setTimeout(tick, 1_000);
  await clock.advance(3_500);
  assertEquals(seen.map((t) => new Date(t).toISOString().slice(11, 19)), [
    "12:00:01",
    "12:00:02",
    "12:00:03",
  ]);
  assertEquals(clock.pendingTimers, 1);
});
