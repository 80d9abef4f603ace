import assert from "node:assert/strict";
import { contextWindow, UNKNOWN_CONTEXT_WINDOW } from "./context_windows.ts";

Deno.test("contextWindow() knows the current models of each provider", () => {
  assert.deepEqual(contextWindow("anthropic:claude-sonnet-4-5"), { tokens: 200_000, known: true });
  assert.equal(contextWindow("openai:gpt-4o-mini").tokens, 128_000);
  assert.equal(contextWindow("openai:gpt-4.1").tokens, 1_047_576);
  assert.equal(contextWindow("ollama:llama3.1:8b").tokens, 128_000);
  assert.equal(contextWindow("openai:meta-llama/llama-3.1-70b-instruct").tokens, 128_000);
});

Deno.test("contextWindow() takes the configured size first, and assumes a small one", () => {
  assert.deepEqual(contextWindow("ollama:my-model", { "ollama:my-model": 8192 }), {
    tokens: 8192,
    known: true,
  });
  assert.deepEqual(contextWindow("ollama:my-model"), {
    tokens: UNKNOWN_CONTEXT_WINDOW,
    known: false,
  });
  assert.equal(
    contextWindow("anthropic:claude-haiku-4-5", { "anthropic:claude-haiku-4-5": 50_000 }).tokens,
    50_000,
  );
});
