/** What {@linkcode readLimitedBody} found. */
export type LimitedBody =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: "too large"; size: number; declared: boolean }
  | { ok: false; reason: "too slow"; size: number }
  | { ok: false; reason: "over budget"; size: number };

/** Options for {@linkcode readLimitedBody}. */
export interface ReadLimitedBodyOptions {
  /** Abandons the body when it aborts (a deadline): the result is `"too slow"`. */
  signal?: AbortSignal;
  /**
   * Asked before each chunk is kept, with its size: `false` abandons the body (`"over
   * budget"`), so that all bodies being read together can share one memory budget.
   * @default {() => true}
   */
  take?: (bytes: number) => boolean;
}

/**
 * Reads a request's raw body, refusing one larger than `maxBytes` without reading it whole:
 * a `Content-Length` above the limit is refused before any byte is read, and a body sent
 * without one (chunked) is counted while it arrives and abandoned at the first chunk that
 * passes the limit, so a sender cannot make the listener hold more than `maxBytes`.
 *
 * @param request The incoming request.
 * @param maxBytes The largest body accepted.
 * @returns The bytes; or `"too large"` with the size refused (`declared` when the
 * `Content-Length` said so, else the bytes counted when reading stopped); `"too slow"`
 * when `signal` aborted first; `"over budget"` when `take` refused a chunk.
 * @example
 * ```ts
 * const body = await readLimitedBody(request, 1024 * 1024);
 * if (!body.ok) return new Response(null, { status: body.reason === "too large" ? 413 : 408 });
 * ```
 */
export async function readLimitedBody(
  request: Request,
  maxBytes: number,
  options: ReadLimitedBodyOptions = {},
): Promise<LimitedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, reason: "too large", size: Number(declared), declared: true };
  }
  if (request.body === null) return { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const { signal } = options;
  // Cancelling the reader ends a read that is waiting for the sender.
  const abandon = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", abandon, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (signal?.aborted !== true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        abandon();
        return { ok: false, reason: "too large", size, declared: false };
      }
      if (options.take?.(value.length) === false) {
        abandon();
        return { ok: false, reason: "over budget", size };
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", abandon);
  }
  if (signal?.aborted === true) return { ok: false, reason: "too slow", size };
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, bytes };
}
