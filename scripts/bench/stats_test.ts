import assert from "node:assert/strict";
import { percentile, summarize } from "./stats.ts";

Deno.test("percentile() takes the nearest rank", () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 99), 7);
});

Deno.test("percentile() refuses an empty sample", () => {
  assert.throws(() => percentile([], 50), RangeError);
});

Deno.test("summarize() reports median, p99 and mean", () => {
  const summary = summarize([1, 2, 3, 4, 100]);
  assert.equal(summary.p50, 3);
  assert.equal(summary.p99, 100);
  assert.equal(summary.mean, 22);
});
