/**
 * What the index stores of a source: chunks of about 400 tokens that keep where they come
 * from, so that a hit can be shown with its file, line range and date and read around.
 *
 * @module
 */

/** One piece of a source file, as the chunkers produce it. */
export interface Chunk {
  /** First line of the source the chunk covers, 1-based. */
  lineFrom: number;
  /** Last line it covers (inclusive). */
  lineTo: number;
  /** Byte offset of `lineFrom` in the file (sessions: where re-chunking can resume). */
  byteFrom: number;
  /** Sessions: ordinal of the first message in the chunk (0-based); `-1` for markdown. */
  seqFrom: number;
  /** Sessions: ordinal of the last message; `-1` for markdown. */
  seqTo: number;
  /** When the content was written (ISO 8601): a session's message time, a file's mtime. */
  date: string;
  /** The text that is searched and shown. */
  text: string;
}

/** Chunk sizes, in estimated tokens. */
export interface ChunkSizeOptions {
  /** Largest chunk. @default {400} */
  maxTokens?: number;
  /** How much of a chunk's end the next chunk repeats. @default {80} */
  overlapTokens?: number;
}

/** Default chunk sizes. */
export const DEFAULT_CHUNK_TOKENS = 400;
/** Default overlap. */
export const DEFAULT_OVERLAP_TOKENS = 80;
