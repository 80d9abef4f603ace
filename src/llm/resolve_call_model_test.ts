import assert from "node:assert/strict";
import { resolveCallModel } from "./resolve_call_model.ts";

const models = {
  default: "anthropic:sonnet",
  tiers: { light: "ollama:llama3.1:8b", heavy: "anthropic:opus" },
};

Deno.test("resolveCallModel() puts the agent's model first, before a skill's tier", () => {
  const chosen = resolveCallModel(models, { agent: "openai:gpt-x", skillTier: "light" });
  assert.deepEqual(chosen, {
    tier: "standard",
    model: "openai:gpt-x",
    by: "agent",
    options: { tier: "standard", model: "openai:gpt-x" },
  });
});

Deno.test("resolveCallModel() takes an agent's tier name before a skill's tier", () => {
  const chosen = resolveCallModel(models, { agent: "heavy", skillTier: "light" });
  assert.equal(chosen.model, "anthropic:opus");
  assert.equal(chosen.by, "agent");
  assert.deepEqual(chosen.options, { tier: "heavy" });
});

Deno.test("resolveCallModel() without an agent model follows the skill's tier", () => {
  const chosen = resolveCallModel(models, { skillTier: "light", tier: "standard" });
  assert.deepEqual(chosen, {
    tier: "light",
    model: "ollama:llama3.1:8b",
    by: "skill",
    options: { tier: "light" },
  });
});

Deno.test("resolveCallModel() without agent or skill uses the configured tier", () => {
  const chosen = resolveCallModel(models, { tier: "heavy" });
  assert.equal(chosen.model, "anthropic:opus");
  assert.equal(chosen.by, "tier");
});

Deno.test("resolveCallModel() falls back to the default for a tier not configured", () => {
  assert.deepEqual(resolveCallModel(models, { tier: "vision" }), {
    tier: "vision",
    model: "anthropic:sonnet",
    by: "default",
    options: { tier: "vision" },
  });
  // A skill asking for a tier nobody configured, or a name that is no tier, gets the default.
  assert.equal(
    resolveCallModel({ default: "a:b", tiers: {} }, { skillTier: "light" }).model,
    "a:b",
  );
  assert.equal(resolveCallModel(models, { skillTier: "fast" }).by, "default");
  assert.equal(resolveCallModel(models).model, "anthropic:sonnet");
});
