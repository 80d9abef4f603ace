import { createHash } from "node:crypto";
import { chunkMarkdown } from "./chunk_markdown.ts";
import { chunkSession } from "./chunk_session.ts";
import type { Chunk, ChunkSizeOptions } from "./chunk.ts";
import type { IndexBackend, IndexedFile, ResumePoint, Scope } from "./index_backend.ts";
import { denoSourceReader, type SourceFile, type SourceReader } from "./scope_sources.ts";

/** Options of {@linkcode syncScope}. */
export interface SyncScopeOptions extends ChunkSizeOptions {
  /** How files are read. @default {denoSourceReader} */
  reader?: SourceReader;
  /** Chunks sent to the index per call (each call is one short transaction). @default {200} */
  batch?: number;
  /** Markdown files larger than this are skipped (a log, not a note). @default {4 MiB} */
  maxMarkdownBytes?: number;
  /**
   * What the index holds, as the caller last learned it (`SyncSummary.state`); saves asking
   * the index when only this process writes it. @default {asked from the index}
   */
  indexed?: readonly IndexedFile[];
}

/** What a sync did. */
export interface SyncSummary {
  /** Sources (re-)indexed, in part or whole. */
  indexed: string[];
  /** Sources removed from the index (their files are gone). */
  removed: string[];
  /** Chunks added. */
  chunks: number;
  /** Sources left out, with why. */
  skipped: { source: string; reason: string }[];
  /** What the index holds after the sync. */
  state: IndexedFile[];
}

const HEAD_BYTES = 1024;
/** How much of a session is chunked in one synchronous step. */
const SESSION_WINDOW = 256 * 1024;

/**
 * Brings a scope's index up to date with its files: a file whose size or mtime changed is
 * indexed again (a current session that only grew, from the start of its last chunk), a
 * file that is gone is removed, an unchanged one costs nothing. Chunks go to the index in
 * small batches with a pause between them, so a large re-index never holds the event loop.
 *
 * @param scope The scope.
 * @param files Its files as they are now (`listSources`).
 */
export async function syncScope(
  backend: IndexBackend,
  scope: Scope,
  files: readonly SourceFile[],
  options: SyncScopeOptions = {},
): Promise<SyncSummary> {
  const reader = options.reader ?? denoSourceReader;
  const summary: SyncSummary = { indexed: [], removed: [], chunks: 0, skipped: [], state: [] };
  const known = options.indexed ?? await backend.files(scope);
  const indexed = new Map(known.map((file) => [file.source, file]));
  const present = new Set(files.map((file) => file.source));
  for (const source of indexed.keys()) {
    if (present.has(source)) continue;
    await backend.remove(scope, source);
    summary.removed.push(source);
  }
  for (const file of files) {
    const before = indexed.get(file.source);
    if (before !== undefined && before.mtimeMs === file.mtimeMs && before.size === file.size) {
      summary.state.push(before);
      continue;
    }
    const maxMarkdown = options.maxMarkdownBytes ?? 4 * 1024 * 1024;
    if (file.kind === "markdown" && file.size > maxMarkdown) {
      summary.skipped.push({
        source: file.source,
        reason: `it is larger than ${maxMarkdown} bytes`,
      });
    }
    try {
      const done = file.kind === "markdown"
        ? await indexMarkdown(backend, scope, file, reader, options)
        : await indexSession(backend, scope, file, before, reader, options);
      summary.chunks += done.chunks;
      summary.state.push(done.file);
      summary.indexed.push(file.source);
    } catch (error) {
      // Gone or unreadable since it was listed: the next sync looks again.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      summary.skipped.push({ source: file.source, reason: "it disappeared while being read" });
    }
  }
  return summary;
}

async function indexMarkdown(
  backend: IndexBackend,
  scope: Scope,
  file: SourceFile,
  reader: SourceReader,
  options: SyncScopeOptions,
): Promise<{ chunks: number; file: IndexedFile }> {
  const max = options.maxMarkdownBytes ?? 4 * 1024 * 1024;
  const text = file.size > max ? "" : await reader.text(file.path);
  const chunks = chunkMarkdown(text, { ...sizes(options), date: isoDate(file.mtimeMs) });
  await backend.begin(scope, file.source, 0);
  await addAll(backend, scope, file.source, chunks, options.batch);
  const indexed: IndexedFile = {
    source: file.source,
    mtimeMs: file.mtimeMs,
    size: file.size,
    head: headHash(await reader.head(file.path, HEAD_BYTES)),
    messages: 0,
    current: false,
  };
  await backend.commit(scope, indexed);
  return { chunks: chunks.length, file: indexed };
}

async function indexSession(
  backend: IndexBackend,
  scope: Scope,
  file: SourceFile,
  before: IndexedFile | undefined,
  reader: SourceReader,
  options: SyncScopeOptions,
): Promise<{ chunks: number; file: IndexedFile }> {
  const head = await reader.head(file.path, HEAD_BYTES);
  let from: ResumePoint = { line: 1, byte: 0, seq: 0 };
  // A session that only grew (same first bytes, not shorter) resumes at its last chunk.
  if (
    before?.resume !== undefined && file.size >= before.size &&
    headHash(head.subarray(0, Math.min(HEAD_BYTES, before.size))) === before.head
  ) {
    from = before.resume;
  }
  const bytes = await reader.bytesFrom(file.path, from.byte);
  await backend.begin(scope, file.source, from.byte === 0 ? 0 : from.line);
  // Chunked a window at a time (resuming at each window's last, open chunk, which gives what
  // chunking it whole would), so that a session of any length never holds the event loop.
  const chunkOptions = { ...sizes(options), fallbackDate: isoDate(file.mtimeMs) };
  let at = from;
  let window = SESSION_WINDOW;
  let added = 0;
  let result;
  for (;;) {
    const start = at.byte - from.byte;
    const last = start + window >= bytes.length;
    const slice = bytes.subarray(start, last ? bytes.length : start + window);
    result = chunkSession(
      { bytes: slice, line: at.line, byte: at.byte, seq: at.seq },
      chunkOptions,
    );
    const closed = last
      ? result.chunks
      : result.chunks.filter((chunk) => chunk.lineFrom < result!.resume.line);
    await addAll(backend, scope, file.source, closed, options.batch);
    added += closed.length;
    if (last) break;
    // One chunk filling the whole window (a very long message): a larger window.
    if (result.resume.byte <= at.byte) window *= 2;
    else at = result.resume;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const indexed: IndexedFile = {
    source: file.source,
    mtimeMs: file.mtimeMs,
    size: file.size,
    head: headHash(head),
    messages: result.messages,
    current: file.current,
    resume: result.resume,
  };
  await backend.commit(scope, indexed);
  return { chunks: added, file: indexed };
}

async function addAll(
  backend: IndexBackend,
  scope: Scope,
  source: string,
  chunks: readonly Chunk[],
  batch = 200,
): Promise<void> {
  for (let at = 0; at < chunks.length; at += batch) {
    await backend.add(scope, source, chunks.slice(at, at + batch));
    // Lets other work run between batches (the in-process index is synchronous).
    if (at + batch < chunks.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function sizes(options: ChunkSizeOptions): ChunkSizeOptions {
  return {
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    ...(options.overlapTokens === undefined ? {} : { overlapTokens: options.overlapTokens }),
  };
}

function headHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
