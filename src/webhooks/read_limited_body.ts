/** What {@linkcode readLimitedBody} found. */
export type LimitedBody =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; size: number; declared: boolean };

/**
 * Reads a request's raw body, refusing one larger than `maxBytes` without reading it whole:
 * a `Content-Length` above the limit is refused before any byte is read, and a body sent
 * without one (chunked) is counted while it arrives and abandoned at the first chunk that
 * passes the limit, so a sender cannot make the listener hold more than `maxBytes`.
 *
 * @param request The incoming request.
 * @param maxBytes The largest body accepted.
 * @returns The bytes, or the size that was refused (`declared` when the `Content-Length`
 * said so, else the bytes counted when reading stopped).
 * @example
 * ```ts
 * const body = await readLimitedBody(request, 1024 * 1024);
 * if (!body.ok) return new Response(null, { status: 413 });
 * ```
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, size: Number(declared), declared: true };
  }
  if (request.body === null) return { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, size, declared: false };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, bytes };
}
