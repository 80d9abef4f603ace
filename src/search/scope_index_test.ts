import { DatabaseSync } from "node:sqlite";
import * as sqliteVec from "sqlite-vec";
import { assertEquals, assertThrows, assertTrue } from "../../tests/support/assert.ts";
import type { Chunk } from "./chunk.ts";
import { ScopeIndex } from "./scope_index.ts";

function chunk(lineFrom: number, text: string, extra: Partial<Chunk> = {}): Chunk {
  return {
    lineFrom,
    lineTo: lineFrom,
    byteFrom: 0,
    seqFrom: -1,
    seqTo: -1,
    date: "2026-11-27T10:00:00.000Z",
    text,
    ...extra,
  };
}

const file = (source: string, extra = {}) => ({
  source,
  mtimeMs: 1,
  size: 1,
  head: "h",
  messages: 0,
  current: false,
  ...extra,
});

function keywordIndex(): ScopeIndex {
  return new ScopeIndex(new DatabaseSync(":memory:"));
}

function vectorIndex(path = ":memory:", model = "m1"): ScopeIndex {
  const db = new DatabaseSync(path, { allowExtension: true });
  sqliteVec.load(db);
  return new ScopeIndex(db, { vectorModel: model });
}

const search = (index: ScopeIndex, words: string[], extra = {}) =>
  index.search({ words, k: 10, hideRecent: 0, ...extra });

Deno.test("ScopeIndex finds chunks by keywords, best first, and forgets a removed source", () => {
  const index = keywordIndex();
  index.begin("memory.md", 0);
  index.add("memory.md", [chunk(1, "Alice's cat is named Zorblax"), chunk(2, "Alice likes tea")]);
  index.commit(file("memory.md"));
  const hits = search(index, ["zorblax", "cat"]);
  assertEquals(hits.map((hit) => hit.text), ["Alice's cat is named Zorblax"]);
  assertTrue(hits[0]!.bm25! > 0);
  assertEquals(index.files().map((f) => f.source), ["memory.md"]);
  index.remove("memory.md");
  assertEquals(search(index, ["zorblax"]), []);
  assertEquals(index.files(), []);
  index.close();
});

Deno.test("ScopeIndex.begin() from a line keeps the chunks before it", () => {
  const index = keywordIndex();
  index.add("history.jsonl", [chunk(2, "first apple"), chunk(5, "second banana")]);
  index.begin("history.jsonl", 5);
  index.add("history.jsonl", [chunk(5, "second cherry")]);
  assertEquals(search(index, ["apple"]).length, 1);
  assertEquals(search(index, ["banana"]).length, 0);
  assertEquals(search(index, ["cherry"]).length, 1);
  index.close();
});

Deno.test("ScopeIndex hides a current session's last messages, not an archive's", () => {
  const index = keywordIndex();
  const session = (seq: number) =>
    chunk(seq + 2, `note ${seq} about kiwis`, { seqFrom: seq, seqTo: seq });
  index.add("history.jsonl", [0, 1, 2, 3].map(session));
  index.commit(file("history.jsonl", { messages: 4, current: true }));
  index.add("sessions/1.jsonl", [0, 1].map(session));
  index.commit(file("sessions/1.jsonl", { messages: 2 }));
  const shown = search(index, ["kiwis"], { hideRecent: 2 });
  assertEquals(
    shown.map((hit) => `${hit.source}:${hit.lineFrom}`).sort(),
    ["history.jsonl:2", "history.jsonl:3", "sessions/1.jsonl:2", "sessions/1.jsonl:3"],
  );
  index.close();
});

Deno.test("ScopeIndex re-uses a vector for text it embedded before, under the same model", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const index = vectorIndex(`${dir}/x.sqlite`);
    index.add("memory.md", [chunk(1, "the blue door"), chunk(2, "the red door")]);
    const missing = index.missingVectors(10);
    assertEquals(missing.map((m) => m.text), ["the blue door", "the red door"]);
    index.setVectors([
      { id: missing[0]!.id, vector: new Float32Array([1, 0, 0]) },
      { id: missing[1]!.id, vector: new Float32Array([0, 1, 0]) },
    ]);
    assertEquals(index.missingVectors(10), []);
    // The file is edited: the same texts come back at other lines, plus a new one.
    index.begin("memory.md", 0);
    index.add("memory.md", [
      chunk(3, "the red door"),
      chunk(4, "a green door"),
      chunk(5, "the blue door"),
    ]);
    index.prune();
    assertEquals(index.missingVectors(10).map((m) => m.text), ["a green door"]);
    const nearest = index.search({
      words: [],
      vector: new Float32Array([0, 1, 0]),
      k: 1,
      hideRecent: 0,
    });
    assertEquals(nearest.map((hit) => [hit.text, hit.cosine]), [["the red door", 1]]);
    index.close();
    // Another model: its vectors are not these, every chunk needs one again.
    const other = vectorIndex(`${dir}/x.sqlite`, "m2");
    assertEquals(other.missingVectors(10).length, 3);
    other.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ScopeIndex gives keyword hits their cosine and vector hits no BM25", () => {
  const index = vectorIndex();
  index.add("memory.md", [chunk(1, "apples grow here"), chunk(2, "nothing related")]);
  const [a, b] = index.missingVectors(10);
  index.setVectors([
    { id: a!.id, vector: new Float32Array([1, 0]) },
    { id: b!.id, vector: new Float32Array([0, 1]) },
  ]);
  const hits = index.search({
    words: ["apples"],
    vector: new Float32Array([0, 1]),
    k: 5,
    hideRecent: 0,
  });
  const byText = Object.fromEntries(hits.map((hit) => [hit.text, hit]));
  assertTrue(byText["apples grow here"]!.bm25! > 0);
  assertEquals(byText["apples grow here"]!.cosine, 0);
  assertEquals(byText["nothing related"]!.bm25, undefined);
  assertEquals(byText["nothing related"]!.cosine, 1);
  index.close();
});

Deno.test("ScopeIndex refuses vectors of another length than the scope's", () => {
  const index = vectorIndex();
  index.add("memory.md", [chunk(1, "one"), chunk(2, "two")]);
  const [a, b] = index.missingVectors(10);
  index.setVectors([{ id: a!.id, vector: new Float32Array([1, 0]) }]);
  assertThrows(
    () => index.setVectors([{ id: b!.id, vector: new Float32Array([1, 0, 0]) }]),
    RangeError,
    'run "reindex" after changing the model',
  );
  index.close();
});

Deno.test("ScopeIndex.holdsVectors() tells a database made with vectors", () => {
  const db = new DatabaseSync(":memory:", { allowExtension: true });
  sqliteVec.load(db);
  const index = new ScopeIndex(db, { vectorModel: "m" });
  assertEquals(ScopeIndex.holdsVectors(db), false);
  index.add("memory.md", [chunk(1, "x")]);
  index.setVectors([{ id: index.missingVectors(1)[0]!.id, vector: new Float32Array([1]) }]);
  assertEquals(ScopeIndex.holdsVectors(db), true);
  index.close();
});

Deno.test("ScopeIndex finds the nearest vector among many through the coarse scan", () => {
  const index = vectorIndex();
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const vectors = Array.from({ length: 1500 }, () => Float32Array.from({ length: 64 }, next));
  index.add("memory.md", vectors.map((_, i) => chunk(i + 1, `chunk ${i}`)));
  const ids = index.missingVectors(2000).map((row) => row.id);
  index.setVectors(ids.map((id, i) => ({ id, vector: vectors[i]! })));
  for (const target of [3, 700, 1499]) {
    const query = vectors[target]!.map((x) => x + next() * 0.05);
    const [best] = index.search({ words: [], vector: query, k: 3, hideRecent: 0 });
    assertEquals(best?.text, `chunk ${target}`);
    assertTrue(best!.cosine! > 0.99);
  }
  index.close();
});
