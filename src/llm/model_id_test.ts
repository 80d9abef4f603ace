import assert from "node:assert/strict";
import { parseModelId } from "./model_id.ts";

Deno.test("parseModelId() splits provider and model at the first colon", () => {
  assert.deepEqual(parseModelId("anthropic:claude-sonnet-4-5"), {
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    id: "anthropic:claude-sonnet-4-5",
  });
  assert.deepEqual(parseModelId("openai:gpt-4.1-mini"), {
    provider: "openai",
    model: "gpt-4.1-mini",
    id: "openai:gpt-4.1-mini",
  });
});

Deno.test("parseModelId() keeps the colon of an Ollama tag in the model", () => {
  const id = parseModelId("ollama:llama3.1:8b");
  assert.deepEqual([id.provider, id.model, id.id], ["ollama", "llama3.1:8b", "ollama:llama3.1:8b"]);
  assert.equal(parseModelId("openai:org/model:free").model, "org/model:free");
});

Deno.test("parseModelId() refuses an id without a provider or a model", () => {
  for (const text of ["claude-sonnet-4-5", ":model", "anthropic:", "", " : "]) {
    assert.throws(() => parseModelId(text), {
      name: "TypeError",
      message: `Cannot read the model id ${
        JSON.stringify(text)
      }: expected "provider:model", like "anthropic:claude-sonnet-4-5"`,
    });
  }
});

Deno.test("parseModelId() names the providers when the one given is unknown", () => {
  assert.throws(() => parseModelId("gemini:pro"), {
    name: "TypeError",
    message: 'Cannot read the model id "gemini:pro": unknown provider "gemini" ' +
      '(expected "anthropic", "ollama", "openai")',
  });
});
