import assert from "node:assert/strict";
import { TextMemo } from "./_text_memo.ts";

Deno.test("TextMemo gives back what it was given", () => {
  const memo = new TextMemo<number>();
  memo.set("a text", 3);
  assert.equal(memo.get("a text"), 3);
  assert.equal(memo.get("another text"), undefined);
});

Deno.test("TextMemo never holds more characters than its bound, however many texts come", () => {
  const memo = new TextMemo<number>({ maxChars: 10_000 });
  for (let i = 0; i < 5_000; i++) {
    memo.set(`${i} ${"x".repeat(900)}`, i);
    assert.ok(memo.chars <= 10_000, `${memo.chars} characters kept after ${i + 1} texts`);
  }
  // The latest texts are still there after a fresh start.
  assert.equal(memo.get(`4999 ${"x".repeat(900)}`), 4999);
});

Deno.test("TextMemo never holds more texts than its bound", () => {
  const memo = new TextMemo<number>({ maxEntries: 100 });
  for (let i = 0; i < 1_000; i++) memo.set(`text ${i}`, i);
  assert.ok(memo.size <= 100);
  assert.equal(memo.get("text 999"), 999);
});

Deno.test("TextMemo does not keep a text longer than its character bound", () => {
  const memo = new TextMemo<number>({ maxChars: 100 });
  memo.set("short", 1);
  memo.set("y".repeat(101), 2);
  assert.equal(memo.get("y".repeat(101)), undefined);
  assert.equal(memo.get("short"), 1);
});

Deno.test("TextMemo counts a text given twice once", () => {
  const memo = new TextMemo<number>();
  memo.set("the same text", 1);
  memo.set("the same text", 1);
  assert.equal(memo.chars, "the same text".length);
});

Deno.test("TextMemo refuses a bound that is not a positive whole number", () => {
  assert.throws(() => new TextMemo({ maxChars: 0 }), RangeError);
  assert.throws(() => new TextMemo({ maxEntries: 1.5 }), RangeError);
});
