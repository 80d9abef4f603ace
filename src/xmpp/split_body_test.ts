import { assertEquals, assertThrows, assertTrue } from "../../tests/support/assert.ts";
import { escapedSize, splitBody } from "./split_body.ts";

Deno.test("splitBody() leaves a body that fits alone", () => {
  assertEquals(splitBody("hello", 16), ["hello"]);
  assertEquals(splitBody("", 16), [""]);
});

Deno.test("splitBody() cuts between paragraphs first, then lines, sentences, words", () => {
  const a = "a".repeat(30);
  const b = "b".repeat(30);
  assertEquals(splitBody(`${a}\n\n${b}`, 40), [a, b]);
  assertEquals(splitBody(`${a}\n${b}`, 40), [a, b]);
  assertEquals(splitBody(`${"x".repeat(25)}. ${"y".repeat(25)}`, 40), [
    `${"x".repeat(25)}.`,
    "y".repeat(25),
  ]);
  assertEquals(splitBody("alpha beta gamma delta", 16), ["alpha beta", "gamma delta"]);
});

Deno.test("splitBody() measures the escaped UTF-8 size and never cuts a character", () => {
  assertEquals(escapedSize("<&>é😀"), 4 + 5 + 4 + 2 + 4);
  const emoji = "😀".repeat(10); // 40 bytes, 20 UTF-16 units
  const parts = splitBody(emoji, 16);
  assertEquals(parts, ["😀😀😀😀", "😀😀😀😀", "😀😀"]);
  const amps = "&".repeat(10);
  assertTrue(splitBody(amps, 16).every((part) => escapedSize(part) <= 16));
});

Deno.test("splitBody() keeps every character of a 2 MB answer, each part under the limit", () => {
  const paragraph = "Lorem ipsum dolor sit amet, <code> & «citations» 数字.\n";
  const text = paragraph.repeat(Math.ceil(2_000_000 / paragraph.length));
  const parts = splitBody(text, 60_000);
  assertTrue(parts.length >= 2_000_000 / 60_000);
  assertTrue(parts.every((part) => escapedSize(part) <= 60_000));
  assertEquals(parts.join("\n"), text);
});

Deno.test("splitBody() keeps leading indentation of the next part", () => {
  const parts = splitBody(`${"a".repeat(20)}\n    indented line`, 24);
  assertEquals(parts, ["a".repeat(20), "    indented line"]);
});

Deno.test("splitBody() refuses a limit too small to hold a character", () => {
  assertThrows(() => splitBody("x", 4), RangeError);
});
