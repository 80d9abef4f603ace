import { assertEquals } from "../../tests/support/assert.ts";
import { denoMemoryFs } from "./deno_memory_fs.ts";

Deno.test("small files read synchronously and large ones asynchronously give the same bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/history.jsonl`;
    const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    await Deno.writeFile(path, data);
    const reader = (await denoMemoryFs().openRead(path))!;
    try {
      assertEquals(reader.size, data.length);
      for (const [offset, length] of [[0, 100], [5, 65_537], [10, 299_990], [299_000, 5_000]]) {
        const expected = data.subarray(offset, Math.min(offset! + length!, data.length));
        assertEquals(await reader.read(offset!, length!), expected);
      }
    } finally {
      reader.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a FIFO where a memory file should be does not stop the event loop", async () => {
  const dir = await Deno.makeTempDir();
  const fifo = `${dir}/memory.md`;
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assertEquals(made.success, true, "mkfifo");
  const fs = denoMemoryFs();
  const waiting = Symbol("waiting");
  const timeout = <T>(promise: Promise<T>) =>
    Promise.race([promise, new Promise<symbol>((resolve) => setTimeout(resolve, 200, waiting))]);
  // Opening a FIFO for reading waits for a writer: synchronously, this would hang here.
  const text = fs.readText(fifo);
  const reader = fs.openRead(fifo);
  assertEquals(await timeout(text), waiting);
  assertEquals(await timeout(reader), waiting);
  // A writer lets both finish, so that nothing is left running.
  const writer = await Deno.open(fifo, { write: true });
  writer.close();
  assertEquals(await text, "");
  (await reader)?.close();
  await Deno.remove(dir, { recursive: true });
});
