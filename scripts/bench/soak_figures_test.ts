import assert from "node:assert/strict";
import { secondHalfSlope, slope, soakFigures, type SoakSample } from "./soak_figures.ts";

const sample = (t_s: number, rss_mb: number, heap_mb?: number): SoakSample => ({
  t_s,
  rss_mb,
  heap_mb,
  answered: t_s * 10,
});

Deno.test("slope() is the least-squares slope", () => {
  assert.equal(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
  assert.throws(() => slope([{ x: 0, y: 1 }]), RangeError);
  assert.throws(() => slope([{ x: 1, y: 1 }, { x: 1, y: 2 }]), RangeError);
});

Deno.test("secondHalfSlope() ignores the warm-up and says MB per 10 minutes", () => {
  // Steep during the first half (warm-up), then 0.5 MB a minute.
  const samples = [sample(0, 50), sample(300, 90), sample(600, 100), sample(900, 102.5)];
  samples.push(sample(1200, 105));
  assert.equal(secondHalfSlope(samples, (s) => s.rss_mb), 5);
});

Deno.test("soakFigures() counts the lost and keeps start, end and peak", () => {
  const figures = soakFigures({
    minutes: 2,
    users: 5,
    rate_per_s: 10,
    sent: 1200,
    round_trips: Array.from({ length: 1198 }, (_, i) => i % 10),
    wrong: 0,
    peak_rss_mb: 130,
    samples: [sample(0, 100, 20), sample(60, 110, 21), sample(120, 110, 21)],
  });
  assert.equal(figures.lost, 2);
  assert.equal(figures.answered, 1198);
  assert.equal(figures.start_rss_mb, 100);
  assert.equal(figures.end_rss_mb, 110);
  assert.equal(figures.peak_rss_mb, 130);
  assert.equal(figures.rss_slope_mb_per_10min, 0);
  assert.equal(figures.heap_slope_mb_per_10min, 0);
});

Deno.test("soakFigures() leaves the heap out when a sample has none", () => {
  const figures = soakFigures({
    minutes: 1,
    users: 1,
    rate_per_s: 1,
    sent: 0,
    round_trips: [],
    wrong: 0,
    peak_rss_mb: 1,
    samples: [sample(0, 1, 1), sample(30, 1), sample(60, 1, 1)],
  });
  assert.equal(figures.heap_slope_mb_per_10min, undefined);
});
