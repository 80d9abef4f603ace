import assert from "node:assert/strict";
import { BODY_BUFFER_BYTES, bodyChunks } from "./_body_chunks.ts";

/** A server streaming `pieces` one by one, resolving `cancelled` if the reader goes away. */
function streamingServer(pieces: Uint8Array[]) {
  let cancelled: () => void = () => {};
  const wasCancelled = new Promise<void>((resolve) => cancelled = resolve);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (next === pieces.length) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 2)); // arrive apart
        controller.enqueue(pieces[next++]!);
      },
      cancel: () => cancelled(),
    });
    return new Response(body);
  });
  return { url: `http://127.0.0.1:${server.addr.port}/`, wasCancelled, server };
}

Deno.test("bodyChunks() reads a fetched body whole and in order, into one small buffer", async () => {
  const encoder = new TextEncoder();
  const events = Array.from({ length: 40 }, (_, i) => encoder.encode(`data: {"n":${i}}\n\n`));
  const large = new Uint8Array(3 * BODY_BUFFER_BYTES + 5).fill(0x61); // more than one read
  const { url, server } = streamingServer([...events, large]);
  try {
    const response = await fetch(url);
    const received: number[] = [];
    const buffers = new Set<number>();
    for await (const chunk of bodyChunks(response.body!)) {
      received.push(...chunk);
      buffers.add(chunk.buffer.byteLength);
    }
    const sent = [...events, large].flatMap((piece) => [...piece]);
    assert.equal(received.length, sent.length);
    assert.deepEqual(received, sent);
    // Read the usual way, each of these 41 chunks would be a fresh 64 KiB buffer.
    assert.deepEqual([...buffers], [BODY_BUFFER_BYTES]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("bodyChunks() cancels the body when the reader leaves early", async () => {
  const piece = new TextEncoder().encode("data: {}\n\n");
  const { url, wasCancelled, server } = streamingServer(Array(1000).fill(piece));
  try {
    const response = await fetch(url);
    let read = 0;
    for await (const _ of bodyChunks(response.body!)) if (++read === 3) break;
    await wasCancelled; // the server's stream learns that nobody reads it any more
    assert.equal(response.bodyUsed, true);
  } finally {
    await server.shutdown();
  }
});

Deno.test("bodyChunks() reads a body built in JavaScript (not a byte stream) as it is", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1, 2]));
      controller.enqueue(new Uint8Array([3]));
      controller.close();
    },
  });
  const chunks: number[][] = [];
  for await (const chunk of bodyChunks(body)) chunks.push([...chunk]);
  assert.deepEqual(chunks, [[1, 2], [3]]);
});

Deno.test("bodyChunks() passes on a failure to read the body", async () => {
  const failure = new Error("connection reset");
  const body = new ReadableStream<Uint8Array>({
    type: "bytes",
    start(controller) {
      controller.enqueue(new Uint8Array([1]));
      controller.error(failure);
    },
  });
  const read: number[] = [];
  await assert.rejects(async () => {
    for await (const chunk of bodyChunks(body)) read.push(...chunk);
  }, (error) => error === failure);
});
