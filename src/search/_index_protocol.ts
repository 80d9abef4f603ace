/**
 * The messages between the agent and its index process: one JSON object per line, on the
 * child's standard input (requests) and output (answers). Vectors travel as base64 of their
 * float32 bytes.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** A request: an {@linkcode IndexBackend} method and its arguments. */
export interface IndexRequest {
  id: number;
  op: string;
  args: unknown[];
}

/** The answer to request `id` (or, with `id` 0, the child saying it is ready or cannot start). */
export interface IndexAnswer {
  id: number;
  result?: unknown;
  error?: string;
}

/** A vector as text. */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
}

/** A vector from its text; a copy on its own aligned buffer. */
export function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  const copy = new Uint8Array(bytes.length - (bytes.length % 4));
  copy.set(bytes.subarray(0, copy.length));
  return new Float32Array(copy.buffer);
}
