import assert from "node:assert/strict";
import { estimateCost, formatUsd, priceOf } from "./cost.ts";

const tokens = (input: number, output: number, cache_read = 0, cache_write = 0) => ({
  input,
  output,
  cache_read,
  cache_write,
});

Deno.test("estimateCost() prices each model per million tokens, cache reads and writes included", () => {
  const prices = {
    "claude-sonnet-4-5": { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 },
    "ollama:llama3.1:8b": { input: 0, output: 0 },
  };
  const estimate = estimateCost(
    new Map([
      ["anthropic:claude-sonnet-4-5", tokens(1_000_000, 100_000, 2_000_000, 100_000)],
      ["ollama:llama3.1:8b", tokens(5, 5)],
      ["openai:gpt-x", tokens(10, 0)],
    ]),
    prices,
  );
  assert.equal(estimate.usd.toFixed(4), (3 + 1.5 + 0.6 + 0.375).toFixed(4));
  assert.deepEqual(estimate.unpriced, ["openai:gpt-x"]);
});

Deno.test("priceOf() looks under the full id, then the model's name; cache prices default to input", () => {
  const prices = { "m": { input: 2, output: 4 }, "openai:m": { input: 1, output: 1 } };
  assert.equal(priceOf(prices, "openai:m")?.input, 1);
  assert.equal(priceOf(prices, "anthropic:m")?.input, 2);
  assert.equal(priceOf(prices, "x:y"), undefined);
  assert.equal(estimateCost(new Map([["a:m", tokens(0, 0, 1e6, 1e6)]]), prices).usd, 4);
  assert.equal(formatUsd(0.004), "$0.0040");
  assert.equal(formatUsd(1.234), "$1.23");
});
