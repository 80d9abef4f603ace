import { assertEquals, assertExcludes, assertIncludes } from "../../tests/support/assert.ts";
import { buildSystemPrompt } from "./system_prompt.ts";

const now = new Date("2026-11-27T09:15:00Z");

Deno.test("buildSystemPrompt() uses defaults naming the agent and the date", () => {
  const prompt = buildSystemPrompt({}, { name: "Fluux Agent", now });
  assertIncludes(prompt, "You are Fluux Agent");
  assertIncludes(prompt, "Friday 2026-11-27, 09:15 UTC");
  assertExcludes(prompt, "About the user");
});

Deno.test("buildSystemPrompt() puts custom parts, the profile and the notes in order", () => {
  const prompt = buildSystemPrompt(
    {
      identity: "You are Jeeves.",
      personality: "Formal.",
      instructions: "Always answer in French.",
      user: "Alice, a gardener.",
      memory: "Asked about roses.",
    },
    { name: "ignored", now },
  );
  const order = [
    "You are Jeeves.",
    "Formal.",
    "Always answer in French.",
    "Alice, a gardener.",
    "Asked about roses.",
  ]
    .map((part) => prompt.indexOf(part));
  assertEquals([...order].sort((a, b) => a - b), order);
  assertExcludes(prompt, "ignored");
});
