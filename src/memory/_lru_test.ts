import assert from "node:assert/strict";
import { LruMap } from "./_lru.ts";

Deno.test("LruMap forgets the least recently used key first", () => {
  const lru = new LruMap<string, number>(2);
  assert.deepEqual(lru.set("a", 1), []);
  lru.set("b", 2);
  assert.equal(lru.get("a"), 1); // "b" is now the oldest
  assert.deepEqual(lru.set("c", 3), [["b", 2]]);
  assert.equal(lru.get("b"), undefined);
  assert.equal(lru.size, 2);
  assert.equal(lru.delete("a"), 1);
  assert.deepEqual(lru.clear(), [["c", 3]]);
  assert.deepEqual(new LruMap<string, number>(0).set("x", 1), [["x", 1]]);
});
