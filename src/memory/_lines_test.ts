import assert from "node:assert/strict";
import { findTornTail, linesBackward, linesForward } from "./_lines.ts";
import { InMemoryFs } from "./in_memory_fs.ts";

async function readerOf(text: string) {
  const fs = new InMemoryFs();
  fs.files.set("/f", new TextEncoder().encode(text));
  const reader = await fs.openRead("/f");
  assert.ok(reader);
  return reader;
}

async function collect(lines: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

const text = "héllo\n\n€uro 😀 line\nlast\n";
const lines = ["héllo", "", "€uro 😀 line", "last"];

Deno.test("linesBackward() returns every line, last first, whatever the chunk size", async () => {
  for (const chunk of [1, 2, 3, 5, 7, 64]) {
    assert.deepEqual(
      await collect(linesBackward(await readerOf(text), chunk)),
      [...lines].reverse(),
    );
  }
});

Deno.test("linesForward() returns every line, whatever the chunk size", async () => {
  for (const chunk of [1, 2, 3, 5, 7, 64]) {
    assert.deepEqual(await collect(linesForward(await readerOf(text), chunk)), lines);
  }
});

Deno.test("line readers skip bytes after the last newline", async () => {
  for (const chunk of [1, 4, 64]) {
    const torn = await readerOf(text + '{"type":"mess');
    assert.deepEqual(await collect(linesBackward(torn, chunk)), [...lines].reverse());
    assert.deepEqual(await collect(linesForward(torn, chunk)), lines);
    assert.deepEqual(await collect(linesBackward(await readerOf("no newline"), chunk)), []);
  }
});

Deno.test("findTornTail() locates the bytes after the last newline", async () => {
  for (const chunk of [1, 3, 64]) {
    assert.equal(await findTornTail(await readerOf(text), chunk), null);
    assert.equal(await findTornTail(await readerOf(""), chunk), null);
    const tail = await findTornTail(await readerOf("a\nbc€"), chunk);
    assert.equal(tail?.offset, 2);
    assert.equal(new TextDecoder().decode(tail?.bytes), "bc€");
    assert.equal((await findTornTail(await readerOf("xyz"), chunk))?.offset, 0);
  }
});
