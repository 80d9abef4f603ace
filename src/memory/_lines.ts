/**
 * Line access to a JSON Lines file through a {@linkcode MemoryReader}, in either
 * direction, reading only the chunks it needs. Only lines ended by a newline count:
 * bytes after the last newline are a torn write and are never returned. Splitting on
 * the byte 0x0A is safe in UTF-8, where that byte never occurs inside a character.
 *
 * @module
 */

import type { MemoryReader } from "./memory_fs.ts";

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

/** Bytes of the first read from the end: a few dozen typical messages. */
export const CHUNK_BYTES = 8 * 1024;
/** Reads from the end double in size up to this, so a long search takes few calls. */
const MAX_CHUNK_BYTES = 1024 * 1024;

function decode(pieces: Uint8Array[]): string {
  if (pieces.length === 1) return decoder.decode(pieces[0]);
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    joined.set(piece, at);
    at += piece.length;
  }
  return decoder.decode(joined);
}

/** Yields the complete lines of a file from the last to the first. */
export async function* linesBackward(
  reader: MemoryReader,
  chunkBytes: number = CHUNK_BYTES,
): AsyncGenerator<string> {
  let end = reader.size;
  let right: Uint8Array[] = []; // the line being assembled, right of the current chunk
  let inTornTail = true; // until the last newline is found
  while (end > 0) {
    const start = Math.max(0, end - chunkBytes);
    const chunk = await reader.read(start, end - start);
    chunkBytes = Math.min(chunkBytes * 2, MAX_CHUNK_BYTES);
    let lineEnd = chunk.length;
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] !== NEWLINE) continue;
      if (inTornTail) inTornTail = false;
      else yield decode([chunk.subarray(i + 1, lineEnd), ...right]);
      right = [];
      lineEnd = i;
    }
    right.unshift(chunk.subarray(0, lineEnd));
    end = start;
  }
  if (!inTornTail) yield decode(right);
}

/** Yields the complete lines of a file from the first to the last. */
export async function* linesForward(
  reader: MemoryReader,
  chunkBytes: number = MAX_CHUNK_BYTES,
): AsyncGenerator<string> {
  let left: Uint8Array[] = [];
  for (let start = 0; start < reader.size; start += chunkBytes) {
    const chunk = await reader.read(start, Math.min(chunkBytes, reader.size - start));
    let lineStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== NEWLINE) continue;
      yield decode([...left, chunk.subarray(lineStart, i)]);
      left = [];
      lineStart = i + 1;
    }
    if (lineStart < chunk.length) left.push(chunk.subarray(lineStart));
  }
}

/**
 * Finds the bytes after the last newline (a write cut short by a crash).
 *
 * @returns Where they start and what they are, or `null` if the file ends cleanly.
 */
export async function findTornTail(
  reader: MemoryReader,
  chunkBytes: number = CHUNK_BYTES,
): Promise<{ offset: number; bytes: Uint8Array } | null> {
  let end = reader.size;
  while (end > 0) {
    const start = Math.max(0, end - chunkBytes);
    const chunk = await reader.read(start, end - start);
    chunkBytes = Math.min(chunkBytes * 2, MAX_CHUNK_BYTES);
    const at = chunk.lastIndexOf(NEWLINE);
    if (at >= 0) {
      if (start + at === reader.size - 1) return null;
      return await readFrom(reader, start + at + 1);
    }
    end = start;
  }
  return reader.size === 0 ? null : await readFrom(reader, 0);
}

async function readFrom(reader: MemoryReader, offset: number) {
  return { offset, bytes: await reader.read(offset, reader.size - offset) };
}
