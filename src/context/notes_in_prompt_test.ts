import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import { buildSystemPrompt } from "../agent/mod.ts";
import { estimateTokens } from "../llm/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import { notesInPrompt } from "./notes_in_prompt.ts";

/** Notes as flushes leave them: a dated heading a day, ten facts under each, newest last. */
function notes(days: number): string {
  const parts: string[] = [];
  for (let day = 1; day <= days; day++) {
    const date = `2026-11-${String(day).padStart(2, "0")}`;
    parts.push(`\n## ${date}`);
    for (let n = 1; n <= 10; n++) {
      parts.push(
        `- Fact ${n} of ${date}: Alice mentioned the harbour boat number ${day * 100 + n}`,
      );
    }
  }
  return `${parts.join("\n").trimStart()}\n`;
}

Deno.test("notesInPrompt() carries notes within the budget as they are", () => {
  const text = notes(3);
  assertEquals(notesInPrompt(text, { tokenBudget: 4000 }), text);
});

Deno.test("notesInPrompt() keeps the newest whole lines within the budget, under a note line", () => {
  const text = notes(30);
  assertTrue(estimateTokens(text) > 2000);
  const shown = notesInPrompt(text, { tokenBudget: 500 });
  assertTrue(estimateTokens(shown) <= 500, `${estimateTokens(shown)} tokens`);
  const lines = shown.trimEnd().split("\n");
  const all = text.trimEnd().split("\n");
  // The newest facts, in order and whole, ending with the file's last line.
  const facts = lines.filter((line) => line.startsWith("- "));
  assertTrue(facts.length >= 10, `${facts.length} facts kept`);
  assertEquals(facts, all.filter((line) => line.startsWith("- ")).slice(-facts.length));
  assertEquals(lines.at(-1), all.at(-1));
  // The first fact kept keeps the date it sits under.
  const firstFact = all.indexOf(facts[0]!);
  const heading = all.slice(0, firstFact).findLast((line) => line.startsWith("## "));
  assertEquals(lines[1], heading);
  const omitted = all.length - (lines.length - 1);
  assertEquals(
    lines[0],
    `[Older notes left out here: ${omitted} lines. They stay in memory.md.]`,
  );
});

Deno.test("notesInPrompt() says memory_search finds the left-out lines when it indexes them", () => {
  const shown = notesInPrompt(notes(30), { tokenBudget: 500, searchable: true });
  assertIncludes(shown.split("\n")[0]!, "They stay in memory.md, and memory_search finds them.]");
});

Deno.test("notesInPrompt() gives the same text for the same file, and follows a new fact", () => {
  const text = notes(30);
  const first = notesInPrompt(text, { tokenBudget: 500 });
  assertEquals(notesInPrompt(text, { tokenBudget: 500 }), first);
  const grown = notesInPrompt(`${text}- Alice's cat is called Tom\n`, { tokenBudget: 500 });
  assertTrue(
    grown.endsWith(
      "- Fact 10 of 2026-11-30: Alice mentioned the harbour boat number 3010\n- Alice's cat is called Tom\n",
    ),
  );
});

Deno.test("notesInPrompt() leaves out a line longer than the whole budget rather than cut it", () => {
  const huge = `- ${"an endless fact ".repeat(400)}`;
  const shown = notesInPrompt(`- small fact\n${huge}\n`, { tokenBudget: 300 });
  assertEquals(shown, "[Older notes left out here: 2 lines. They stay in memory.md.]\n");
});

Deno.test("notesInPrompt() through the store: the same prompt at every reread of an unchanged file", async () => {
  const fs = new InMemoryFs();
  fs.files.set("/data/alice@localhost/memory.md", new TextEncoder().encode(notes(30)));
  // Reread at every turn (no reuse time), as a file edited by hand would be.
  const store = new MemoryStore("/data", {
    fs,
    promptTtlMs: 0,
    promptNotes: (text) => notesInPrompt(text, { tokenBudget: 500 }),
  });
  const prompt = async () =>
    buildSystemPrompt(await store.promptParts("alice@localhost"), { name: "Fluux Agent" });
  const first = await prompt();
  assertIncludes(first, "## Your notes about this conversation\n[Older notes left out here: ");
  assertEquals(await prompt(), first);
  assertEquals(await prompt(), first);
  await store.appendNote("alice@localhost", "memory.md", "- Alice's cat is called Tom\n");
  const grown = await prompt();
  assertTrue(grown !== first && grown.endsWith("- Alice's cat is called Tom"), grown.slice(-80));
});
