import { assertEquals, assertExcludes, assertIncludes } from "../../tests/support/assert.ts";
import { buildSystemPrompt, currentTimeNote } from "./system_prompt.ts";

const now = new Date("2026-11-27T09:15:00Z");

Deno.test("buildSystemPrompt() uses defaults naming the agent, and no time", () => {
  const prompt = buildSystemPrompt({}, { name: "Fluux Agent" });
  assertIncludes(prompt, "You are Fluux Agent");
  assertExcludes(prompt, "2026");
  assertExcludes(prompt, "About the user");
});

Deno.test("currentTimeNote() gives the weekday, date and minute in UTC", () => {
  assertEquals(currentTimeNote(now), "[Current date and time: Friday 2026-11-27, 09:15 UTC]");
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
    { name: "ignored" },
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
