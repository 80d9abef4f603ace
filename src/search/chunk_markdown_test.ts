import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { chunkMarkdown } from "./chunk_markdown.ts";

const date = "2026-11-27T10:00:00.000Z";

Deno.test("chunkMarkdown() keeps each heading's section apart, with its line range", () => {
  const text = "# Pets\nA cat named Zorro\n\n## Work\nGardener in Lyon\n";
  const chunks = chunkMarkdown(text, { date });
  assertEquals(chunks.map(({ lineFrom, lineTo, text }) => ({ lineFrom, lineTo, text })), [
    { lineFrom: 1, lineTo: 2, text: "# Pets\nA cat named Zorro" },
    { lineFrom: 4, lineTo: 5, text: "## Work\nGardener in Lyon" },
  ]);
  assertEquals(chunks[0]!.date, date);
});

Deno.test("chunkMarkdown() keeps a bare heading with the section under it", () => {
  const chunks = chunkMarkdown("# People\n\n## Alice\nLikes tea\n", { date });
  assertEquals(chunks.length, 1);
  assertEquals(chunks[0]!.text, "# People\n\n## Alice\nLikes tea");
  assertEquals([chunks[0]!.lineFrom, chunks[0]!.lineTo], [1, 4]);
});

Deno.test("chunkMarkdown() ignores headings inside fenced code", () => {
  const chunks = chunkMarkdown("# Notes\n```\n# not a heading\n```\nend\n", { date });
  assertEquals(chunks.length, 1);
});

Deno.test("chunkMarkdown() packs a long section into chunks of about the size, overlapping", () => {
  const lines = Array.from({ length: 200 }, (_, i) => `- fact number ${i} about the garden`);
  const chunks = chunkMarkdown(lines.join("\n"), { date, maxTokens: 100, overlapTokens: 20 });
  assertTrue(chunks.length > 5, `expected several chunks, got ${chunks.length}`);
  for (const chunk of chunks) assertTrue(chunk.text.length <= 400, "a chunk stays in its size");
  for (let i = 1; i < chunks.length; i++) {
    const previous = chunks[i - 1]!;
    const current = chunks[i]!;
    assertTrue(current.lineFrom <= previous.lineTo, "the next chunk repeats the previous end");
    assertTrue(current.lineFrom > previous.lineFrom, "and moves forward");
  }
  assertEquals(chunks[0]!.lineFrom, 1);
  assertEquals(chunks.at(-1)!.lineTo, 200);
  // Every line is in some chunk.
  const covered = new Set(chunks.flatMap((c) => range(c.lineFrom, c.lineTo)));
  assertEquals(covered.size, 200);
});

Deno.test("chunkMarkdown() cuts a line longer than a chunk into pieces naming that line", () => {
  const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
  const chunks = chunkMarkdown(`intro\n${long}\n`, { date, maxTokens: 100, overlapTokens: 10 });
  const pieces = chunks.filter((chunk) => chunk.lineFrom === 2 && chunk.lineTo === 2);
  assertTrue(pieces.length >= 5, `expected pieces of line 2, got ${pieces.length}`);
  assertTrue(pieces.every((piece) => piece.text.length <= 400));
  assertTrue(pieces.some((piece) => piece.text.includes("word399")));
});

Deno.test("chunkMarkdown() makes nothing of blank text", () => {
  assertEquals(chunkMarkdown("\n\n  \n", { date }), []);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
