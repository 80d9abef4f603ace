import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { Embedding } from "./_embedding.ts";
import type { IndexBackend } from "./index_backend.ts";

Deno.test("Embedding pauses vector search for a minute after the embedder fails", async () => {
  let now = 0;
  let calls = 0;
  let failing = true;
  const warnings: string[] = [];
  const embedding = new Embedding({
    model: "m",
    embed(texts) {
      calls++;
      return failing
        ? Promise.reject(new Error("connection refused"))
        : Promise.resolve(texts.map(() => new Float32Array([1, 0])));
    },
  }, { warn: (m) => warnings.push(m), now: () => now });
  assertIncludes((await embedding.query("a")).note!, "keywords only");
  assertEquals(warnings.length, 1);
  assertIncludes(warnings[0]!, "connection refused");
  now += 30_000;
  failing = false;
  assertIncludes((await embedding.query("b")).note!, "paused");
  assertEquals(calls, 1, "no call while paused");
  now += 31_000;
  assertEquals((await embedding.query("c")).vector?.length, 2);
  assertEquals(warnings.length, 1);
});

Deno.test("Embedding.fill() embeds new chunks in batches up to its budget", async () => {
  const pending = Array.from({ length: 70 }, (_, id) => ({ id, text: `chunk ${id}` }));
  const stored: number[] = [];
  const backend = {
    missingVectors: (_scope: string, limit: number) =>
      Promise.resolve(pending.filter((c) => !stored.includes(c.id)).slice(0, limit)),
    setVectors: (_scope: string, items: { id: number }[]) =>
      Promise.resolve(void stored.push(...items.map((item) => item.id))),
  } as unknown as IndexBackend;
  const sizes: number[] = [];
  const embedding = new Embedding({
    model: "m",
    embed: (texts) => {
      sizes.push(texts.length);
      return Promise.resolve(texts.map(() => new Float32Array([1])));
    },
  }, { warn: () => {}, now: () => 0 });
  assertEquals(await embedding.fill(backend, "a@b", 40), true, "some are left");
  assertEquals(sizes, [32, 8]);
  assertEquals(await embedding.fill(backend, "a@b", Infinity), false);
  assertEquals(stored.length, 70);
});
