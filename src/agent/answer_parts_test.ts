import { assertEquals, assertThrows, assertTrue } from "../../tests/support/assert.ts";
import { answerParts, splitParagraphs } from "./answer_parts.ts";
import { countChars } from "./count_chars.ts";

Deno.test("answerParts() styles the answer and leaves a short one whole", () => {
  assertEquals(answerParts("## Done\n**All** good"), ["*Done*\n*All* good"]);
});

Deno.test("splitParagraphs() cuts between paragraphs, each part under the limit", () => {
  const paragraph = (n: number) => `Paragraph ${n}. ${"word ".repeat(30).trim()}`;
  const text = [1, 2, 3, 4, 5].map(paragraph).join("\n\n");
  const parts = splitParagraphs(text, 400);
  assertTrue(parts.length >= 2, `${parts.length} parts`);
  assertTrue(parts.every((part) => countChars(part) <= 400));
  // Whole paragraphs only: joined back they are the text.
  assertEquals(parts.join("\n\n"), text);
  assertTrue(parts.every((part) => part.startsWith("Paragraph ")));
});

Deno.test("splitParagraphs() closes a long code block and opens it again in the next part", () => {
  const code = Array.from({ length: 40 }, (_, i) => `line_${i} = ${i} * 2`).join("\n");
  const parts = splitParagraphs(`Here:\n\n\`\`\`python\n${code}\n\`\`\``, 200);
  assertTrue(parts.length >= 3, `${parts.length} parts`);
  for (const part of parts.slice(1)) {
    assertTrue(part.startsWith("```python\n") && part.endsWith("\n```"), part);
    assertTrue(countChars(part) <= 200);
  }
  const lines = parts.slice(1).flatMap((part) => part.split("\n").slice(1, -1));
  assertEquals(lines.join("\n"), code);
});

Deno.test("splitParagraphs() cuts a paragraph too long at sentences, then words", () => {
  const sentence = "This sentence is here to fill. ";
  const text = sentence.repeat(20).trim();
  const parts = splitParagraphs(text, 100);
  assertTrue(parts.every((part) => countChars(part) <= 100 && part.endsWith(".")), `${parts}`);
  assertEquals(parts.join(" "), text);
  const emoji = "😀".repeat(250);
  assertEquals(splitParagraphs(emoji, 100).map(countChars), [100, 100, 50]);
});

Deno.test("answerParts() refuses a limit under 100 characters", () => {
  assertThrows(() => answerParts("x", 99), RangeError);
});
