import { DatabaseSync } from "node:sqlite";
import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { ScopeIndex } from "./scope_index.ts";

function chunk(line: number, text: string) {
  return {
    lineFrom: line,
    lineTo: line,
    byteFrom: 0,
    seqFrom: -1,
    seqTo: -1,
    date: "2026-01-01T00:00:00Z",
    text,
  };
}

/** 3,000 chunks where "the", "said" and "alice" are everywhere and "kettle" is once. */
function bigIndex(): ScopeIndex {
  const index = new ScopeIndex(new DatabaseSync(":memory:"));
  const chunks = Array.from(
    { length: 3000 },
    (_, i) =>
      chunk(
        i + 1,
        i === 5
          ? "alice said the brass kettle is in the attic"
          : `the ${i} alice said word${i % 97}`,
      ),
  );
  for (let at = 0; at < chunks.length; at += 500) {
    index.add("memory.md", chunks.slice(at, at + 500));
  }
  return index;
}

Deno.test("keyword search matches a rare word among common ones", () => {
  const index = bigIndex();
  const hits = index.search({ words: ["the", "alice", "said", "kettle"], k: 5, hideRecent: 0 });
  assertEquals(hits[0]?.text, "alice said the brass kettle is in the attic");
  index.close();
});

Deno.test("keyword search of common words only finds the chunk holding them all, however old", () => {
  const index = new ScopeIndex(new DatabaseSync(":memory:"));
  // 25,000 chunks: "kettle" and "brass" are each in 5% of them, together only in the oldest.
  const text = (i: number) =>
    i === 0
      ? "the brass kettle"
      : `the ${i % 20 === 0 ? "kettle" : i % 20 === 10 ? "brass" : "spoon"} number ${i}`;
  for (let at = 0; at < 25_000; at += 1000) {
    index.add("memory.md", Array.from({ length: 1000 }, (_, i) => chunk(at + i + 1, text(at + i))));
  }
  const hits = index.search({ words: ["brass", "kettle"], k: 5, hideRecent: 0 });
  assertEquals(hits[0]?.text, "the brass kettle");
  // One common word alone still answers, from the newest chunks.
  const spoons = index.search({ words: ["spoon"], k: 5, hideRecent: 0 });
  assertEquals(spoons.length, 5);
  assertTrue(spoons.every((hit) => hit.lineFrom > 5000));
  index.close();
});
