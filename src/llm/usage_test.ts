import assert from "node:assert/strict";
import { UsageMeter } from "./usage.ts";

Deno.test("UsageMeter.totals() sums tokens and counts calls and failures", () => {
  const meter = new UsageMeter();
  meter.record({ input_tokens: 10, output_tokens: 3 });
  meter.record({ input_tokens: 5, output_tokens: 4 });
  meter.recordFailure();
  assert.deepEqual(meter.totals(), {
    calls: 2,
    failed_calls: 1,
    input_tokens: 15,
    output_tokens: 7,
  });
});
