import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { fuse, type ScopedCandidate } from "./fusion.ts";

const now = new Date("2026-12-01T00:00:00Z");

function candidate(
  text: string,
  scores: { bm25?: number; cosine?: number },
  date = "2026-12-01T00:00:00Z",
): ScopedCandidate {
  return {
    id: Math.floor(Math.random() * 1e9),
    scope: "alice@example.org",
    source: "memory.md",
    lineFrom: 1,
    lineTo: 1,
    date,
    hash: text,
    text,
    ...scores,
  };
}

const base = { vectorWeight: 0.7, keywordWeight: 0.3, now, limit: 10 };

Deno.test("fuse() ranks by keywords alone without vectors, the best match scoring 1", () => {
  const hits = fuse([candidate("weak", { bm25: 2 }), candidate("strong", { bm25: 8 })], {
    ...base,
    vectors: false,
  });
  assertEquals(hits.map((hit) => [hit.text, hit.score]), [["strong", 1], ["weak", 0.25]]);
});

Deno.test("fuse() weighs cosine and normalised BM25 with the configured weights", () => {
  const hits = fuse([
    candidate("keyword only", { bm25: 10, cosine: 0 }),
    candidate("meaning only", { cosine: 0.9 }),
    candidate("both", { bm25: 5, cosine: 0.8 }),
  ], { ...base, vectors: true });
  const score = Object.fromEntries(hits.map((hit) => [hit.text, hit.score]));
  assertEquals(hits[0]!.text, "both");
  assertTrue(Math.abs(score["both"]! - (0.3 * 0.5 + 0.7 * 0.8)) < 1e-9);
  assertTrue(Math.abs(score["meaning only"]! - 0.7 * 0.9) < 1e-9);
  assertTrue(Math.abs(score["keyword only"]! - 0.3) < 1e-9);
  // Keywords weighing more change the order.
  const keywords = fuse([
    candidate("keyword only", { bm25: 10, cosine: 0 }),
    candidate("meaning only", { cosine: 0.9 }),
  ], { ...base, vectorWeight: 0.2, keywordWeight: 0.8, vectors: true });
  assertEquals(keywords[0]!.text, "keyword only");
});

Deno.test("fuse() prefers the recent of two equal matches, by the recency weight", () => {
  const old = candidate("old fact about the garden", { bm25: 5 }, "2025-12-01T00:00:00Z");
  const fresh = candidate("new fact about the house", { bm25: 5 }, "2026-11-30T00:00:00Z");
  const ranked = fuse([old, fresh], {
    ...base,
    vectors: false,
    recencyWeight: 0.2,
    halfLifeDays: 30,
  });
  assertEquals(ranked.map((hit) => hit.text), [fresh.text, old.text]);
  assertTrue(ranked[1]!.score < 0.81 && ranked[1]!.score > 0.79, "a year old keeps ~1 - 0.2");
  const none = fuse([old, fresh], { ...base, vectors: false, recencyWeight: 0 });
  assertEquals(none.map((hit) => hit.score), [1, 1]);
});

Deno.test("fuse() collapses near-duplicates and keeps the better one", () => {
  const hits = fuse([
    candidate("Alice's cat is named Zorblax and sleeps a lot", { bm25: 9 }),
    candidate("Alice's cat is named Zorblax and sleeps a lot!", { bm25: 8 }),
    candidate("Bob's dog is called Rex", { bm25: 3 }),
  ], { ...base, vectors: false });
  assertEquals(hits.map((hit) => hit.text), [
    "Alice's cat is named Zorblax and sleeps a lot",
    "Bob's dog is called Rex",
  ]);
});

Deno.test("fuse() drops what matched nothing and keeps to the limit", () => {
  const hits = fuse([
    candidate("a", { cosine: -0.5 }),
    ...Array.from(
      { length: 8 },
      (_, i) => candidate(`fact ${i} ${"x".repeat(i)}`, { bm25: i + 1 }),
    ),
  ], { ...base, vectors: true, limit: 3 });
  assertEquals(hits.length, 3);
  assertTrue(hits.every((hit) => hit.text !== "a"));
});
