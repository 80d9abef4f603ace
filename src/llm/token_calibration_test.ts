import assert from "node:assert/strict";
import { promptTokens, TokenCalibration } from "./token_calibration.ts";

Deno.test("TokenCalibration converges on a model's own count within a few calls", () => {
  const calibration = new TokenCalibration();
  const model = "anthropic:claude-sonnet-4-5";
  // This model counts 30 % more than the estimate; another counts 20 % less.
  for (let i = 0; i < 6; i++) {
    const estimated = 1000 + i * 200;
    calibration.observe(model, estimated, {
      input_tokens: Math.round(estimated * 1.3 * 0.1),
      output_tokens: 5,
      cache_read_tokens: Math.round(estimated * 1.3 * 0.9),
    });
    calibration.observe("ollama:llama3.1:8b", estimated, {
      input_tokens: Math.round(estimated * 0.8),
      output_tokens: 5,
    });
  }
  const corrected = calibration.correct(model, 5000);
  assert.ok(Math.abs(corrected / 6500 - 1) < 0.05, `corrected to ${corrected}, real 6500`);
  const other = calibration.correct("ollama:llama3.1:8b", 5000);
  assert.ok(Math.abs(other / 4000 - 1) < 0.05, `corrected to ${other}, real 4000`);
});

Deno.test("TokenCalibration leaves an unseen model's estimate as it is", () => {
  const calibration = new TokenCalibration();
  assert.equal(calibration.correct("openai:gpt-4o", 1234), 1234);
  calibration.observe("openai:gpt-4o", 1000, { input_tokens: 0, output_tokens: 0 });
  assert.equal(calibration.factor("openai:gpt-4o"), 1);
});

Deno.test("promptTokens() counts cached input with the rest", () => {
  assert.equal(
    promptTokens({
      input_tokens: 10,
      output_tokens: 99,
      cache_write_tokens: 20,
      cache_read_tokens: 30,
    }),
    60,
  );
});
