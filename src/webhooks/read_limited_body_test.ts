import assert from "node:assert/strict";
import { readLimitedBody } from "./read_limited_body.ts";

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://listener/hooks/ci", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
}

Deno.test("readLimitedBody() returns the bytes of a body within the limit, chunks joined", async () => {
  const chunks = ["ab", "cd", "e"].map((text) => new TextEncoder().encode(text));
  const stream = ReadableStream.from(chunks);
  const body = await readLimitedBody(post(stream), 5);
  assert.ok(body.ok);
  assert.equal(new TextDecoder().decode(body.bytes), "abcde");
  const empty = await readLimitedBody(new Request("http://listener/", { method: "POST" }), 5);
  assert.deepEqual(empty, { ok: true, bytes: new Uint8Array() });
});

Deno.test("readLimitedBody() refuses on Content-Length before reading, and stops at the limit without it", async () => {
  assert.deepEqual(await readLimitedBody(post("x".repeat(10), { "Content-Length": "10" }), 5), {
    ok: false,
    reason: "too large",
    size: 10,
    declared: true,
  });
  let pulls = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(new Uint8Array(3));
    },
  });
  assert.deepEqual(await readLimitedBody(post(endless), 5), {
    ok: false,
    reason: "too large",
    size: 6,
    declared: false,
  });
  // The chunk that passed the limit, and the one the stream queued ahead.
  assert.ok(pulls <= 3, `${pulls} pulls`);
});

Deno.test("readLimitedBody() abandons a body when its budget refuses a chunk", async () => {
  const taken: number[] = [];
  const body = await readLimitedBody(
    post(ReadableStream.from([new Uint8Array(3), new Uint8Array(4)])),
    100,
    {
      take: (bytes) => {
        taken.push(bytes);
        return taken.length < 2;
      },
    },
  );
  assert.deepEqual(body, { ok: false, reason: "over budget", size: 7 });
  assert.deepEqual(taken, [3, 4]);
});

Deno.test("readLimitedBody() abandons a body that is still arriving when its signal aborts", async () => {
  const stalled = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(2));
    },
  });
  const deadline = new AbortController();
  const reading = readLimitedBody(post(stalled), 100, { signal: deadline.signal });
  deadline.abort();
  assert.deepEqual(await reading, { ok: false, reason: "too slow", size: 2 });
});
