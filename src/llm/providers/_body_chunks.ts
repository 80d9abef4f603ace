/**
 * Reads a response body into one buffer reused from read to read. Read the usual way, each
 * chunk of a `fetch` body is a fresh 64 KiB buffer, whatever it holds, freed only when V8 next
 * collects. A model streams one event of a few hundred bytes at a time, so an answer of 1,000
 * tokens made about a thousand such buffers, and with many conversations streaming at once
 * they added up to tens of megabytes held at the same time.
 *
 * @module
 */

/** Size of the buffer a body is read into: a read returns at most this much. */
export const BODY_BUFFER_BYTES = 16 * 1024;

/**
 * The bytes of `body` as they arrive. Each chunk is a view into the same buffer and holds its
 * bytes only until the next one is asked for: decode or copy it first. A body that is not a
 * byte stream (one built in JavaScript) is read as it is. Leaving the loop early cancels the
 * body, as `for await` over the stream itself does.
 */
export async function* bodyChunks(
  body: ReadableStream<Uint8Array>,
  bufferBytes: number = BODY_BUFFER_BYTES,
): AsyncGenerator<Uint8Array, void, undefined> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    yield* body;
    return;
  }
  let buffer = new ArrayBuffer(bufferBytes);
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done) {
        ended = true;
        return;
      }
      yield value;
      // The read took the buffer over; the view it returned is on the same memory.
      buffer = value.buffer as ArrayBuffer;
    }
  } catch (error) {
    ended = true; // A stream that failed is already closed.
    throw error;
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
