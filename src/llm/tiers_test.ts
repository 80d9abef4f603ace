import assert from "node:assert/strict";
import { isTier, resolveTier } from "./tiers.ts";

Deno.test("resolveTier() gives a configured tier its own model", () => {
  const models = { default: "anthropic:sonnet", tiers: { light: "ollama:llama3.1:8b" } };
  assert.deepEqual(resolveTier(models, "light"), {
    tier: "light",
    model: "ollama:llama3.1:8b",
    configured: true,
  });
});

Deno.test("resolveTier() serves a tier not configured by standard, then by the default", () => {
  assert.deepEqual(
    resolveTier({ default: "anthropic:sonnet", tiers: { standard: "anthropic:sonnet" } }, "vision"),
    { tier: "vision", model: "anthropic:sonnet", configured: false },
  );
  assert.deepEqual(resolveTier({ default: "openai:gpt", tiers: {} }, "heavy"), {
    tier: "heavy",
    model: "openai:gpt",
    configured: false,
  });
  assert.equal(resolveTier({ default: "openai:gpt", tiers: {} }).tier, "standard");
});

Deno.test("resolveTier() serves a name that is not a tier as standard", () => {
  const models = { default: "anthropic:sonnet", tiers: { light: "ollama:llama3" } };
  assert.deepEqual(resolveTier(models, "fast"), {
    tier: "standard",
    model: "anthropic:sonnet",
    configured: false,
  });
  assert.equal(isTier("fast"), false);
  assert.equal(isTier("vision"), true);
});
