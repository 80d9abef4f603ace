import assert from "node:assert/strict";
import { InMemoryFs } from "./in_memory_fs.ts";
import { PromptPartsCache } from "./_prompt_parts.ts";

const text = (value: string) => new TextEncoder().encode(value);

Deno.test("PromptPartsCache.get() takes each part from the folder, else the layer, else the root", async () => {
  const fs = new InMemoryFs();
  fs.files.set("/data/identity.md", text("global identity"));
  fs.files.set("/data/personality.md", text("global personality"));
  fs.files.set("/data/instructions.md", text("global instructions"));
  fs.files.set("/data/a@x.org/instructions.md", text("own instructions"));
  fs.files.set("/data/a@x.org/context.md", text("the user profile"));
  const cache = new PromptPartsCache(fs, "/data", { ttlMs: 0, capacity: 8, now: () => 0 });
  const layer = {
    identity: "persona identity",
    instructions: "persona instructions",
    context: "persona background",
  };
  assert.deepEqual(await cache.get("/data/a@x.org", layer), {
    identity: "persona identity",
    personality: "global personality",
    instructions: "own instructions",
    user: "the user profile",
    context: "persona background",
  });
  assert.deepEqual(await cache.get("/data/a@x.org"), {
    identity: "global identity",
    personality: "global personality",
    instructions: "own instructions",
    user: "the user profile",
  });
});

Deno.test("PromptPartsCache.get() carries memory.md through the notes view, once per read", async () => {
  const fs = new InMemoryFs();
  fs.files.set("/data/a@x.org/memory.md", text("- a fact\n- another fact\n"));
  let views = 0;
  const cache = new PromptPartsCache(fs, "/data", {
    ttlMs: 60_000,
    capacity: 8,
    now: () => 0,
    notes: (notes) => (views++, `[view]\n${notes.split("\n").at(-2)}\n`),
  });
  assert.equal((await cache.get("/data/a@x.org")).memory, "[view]\n- another fact\n");
  assert.equal((await cache.get("/data/a@x.org")).memory, "[view]\n- another fact\n");
  assert.equal(views, 1);
});
