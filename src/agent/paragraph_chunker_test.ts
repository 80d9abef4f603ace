import assert from "node:assert/strict";
import { ParagraphChunker } from "./paragraph_chunker.ts";

/** Feeds `text` in pieces of `size` characters; every piece handed back, the last included. */
function chunk(text: string, size: number, options = {}): string[] {
  const chunker = new ParagraphChunker(options);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...chunker.push(text.slice(i, i + size)));
  const last = chunker.finish();
  return last === "" ? out : [...out, last];
}

Deno.test("ParagraphChunker hands back each paragraph once the next one begins", () => {
  const chunker = new ParagraphChunker();
  assert.deepEqual(chunker.push("One sentence.\n\n"), []);
  assert.deepEqual(chunker.push("Tw"), ["One sentence."]);
  assert.deepEqual(chunker.push("o.\n\nThree"), ["Two."]);
  assert.equal(chunker.finish(), "Three");
  assert.equal(chunker.emitted, 2);
});

Deno.test("ParagraphChunker gives the same pieces whatever the size of what arrives", () => {
  const text = "Intro line\nsecond line.\n\n\n\nNext  \n\nLast one.";
  const expected = ["Intro line\nsecond line.", "Next", "Last one."];
  for (const size of [1, 2, 3, 7, 100]) {
    assert.deepEqual(chunk(text, size), expected, `size ${size}`);
  }
});

Deno.test("ParagraphChunker keeps a code block whole, blank lines inside it included", () => {
  const code = "```ts\nconst a = 1;\n\n\nconst b = 2;\n```";
  const text = `Here it is:\n${code}\nAnd after.`;
  for (const size of [1, 5, 1000]) {
    assert.deepEqual(chunk(text, size), ["Here it is:", code, "And after."], `size ${size}`);
  }
});

Deno.test("ParagraphChunker ends a code block only at a fence as long as its opening", () => {
  const code = "````md\n```js\ninner\n```\n\nstill inside\n````";
  assert.deepEqual(chunk(`${code}\n\nOut.`, 3), [code, "Out."]);
  const tilde = "~~~\na\n\nb\n~~~";
  assert.deepEqual(chunk(`Text.\n\n${tilde}\n\nEnd.`, 4), ["Text.", tilde, "End."]);
});

Deno.test("ParagraphChunker hands back an unclosed code block at the end, whole", () => {
  assert.deepEqual(chunk("Look:\n\n```\nline 1\n\nline 2", 2), ["Look:", "```\nline 1\n\nline 2"]);
});

Deno.test("ParagraphChunker keeps the indentation of a paragraph's lines", () => {
  assert.deepEqual(chunk("\n\n    indented code\n    more\n\nText", 3), [
    "    indented code\n    more",
    "Text",
  ]);
});

Deno.test("ParagraphChunker cuts a long paragraph at a line break past maxChars", () => {
  const lines = Array.from({ length: 6 }, (_, i) => `line ${i} ${"x".repeat(10)}`);
  const pieces = chunk(lines.join("\n"), 4, { maxChars: 40 });
  assert.ok(pieces.length > 1, `cut into pieces: ${JSON.stringify(pieces)}`);
  assert.equal(pieces.join("\n"), lines.join("\n"));
  for (const piece of pieces.slice(0, -1)) assert.ok(piece.length < 60, piece);
});

Deno.test("ParagraphChunker gives nothing for text that is only blank", () => {
  assert.deepEqual(chunk("\n\n  \n", 1), []);
});
