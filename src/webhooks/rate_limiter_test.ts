import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limiter.ts";

Deno.test("RateLimiter serves a burst up to the rate, then one request per share of the minute", () => {
  let now = 1_000_000;
  const limit = new RateLimiter(60, { now: () => now });
  for (let i = 0; i < 60; i++) assert.deepEqual(limit.take(), { ok: true }, `request ${i}`);
  assert.deepEqual(limit.take(), { ok: false, retryAfterSecs: 1 });
  now += 999;
  assert.equal(limit.take().ok, false);
  now += 1;
  assert.deepEqual(limit.take(), { ok: true });
  assert.equal(limit.take().ok, false);
});

Deno.test("RateLimiter says how long to wait at a slow rate and refills no more than its size", () => {
  let now = 0;
  const limit = new RateLimiter(2, { now: () => now });
  assert.equal(limit.take().ok, true);
  assert.equal(limit.take().ok, true);
  assert.deepEqual(limit.take(), { ok: false, retryAfterSecs: 30 });
  now += 3_600_000;
  assert.equal(limit.take().ok, true);
  assert.equal(limit.take().ok, true);
  assert.equal(limit.take().ok, false);
});

Deno.test("RateLimiter refuses a rate that is not positive", () => {
  assert.throws(() => new RateLimiter(0), {
    name: "RangeError",
    message: "Expected a positive rate, got 0",
  });
});
