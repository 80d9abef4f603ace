/**
 * What the search orchestration asks of an index, wherever the index runs: in the agent's
 * process (keyword-only, {@linkcode LocalIndexBackend}) or in the index process that alone
 * may load sqlite-vec ({@linkcode ChildIndexBackend}). Every call names its scope; each
 * scope is a database of its own.
 *
 * @module
 */
import type { Chunk } from "./chunk.ts";

/** The scope of the shared folder (not a JID: a JID never starts with "@"). */
export const SHARED_SCOPE = "@shared";

/**
 * A scope: {@linkcode SHARED_SCOPE}, or a conversation's normalised bare JID (a person or a
 * room).
 */
export type Scope = string;

/** Where re-chunking a growing session resumes (see `chunkSession`). */
export interface ResumePoint {
  line: number;
  byte: number;
  seq: number;
}

/** A source as it was when indexed. */
export interface IndexedFile {
  /** The path relative to the scope's folder, e.g. `sessions/20261127-091500.jsonl`. */
  source: string;
  mtimeMs: number;
  size: number;
  /** A hash of the file's first bytes: a file replaced by another of at least its size shows. */
  head: string;
  /** Messages in a session file (0 for markdown). */
  messages: number;
  /** A current session (`history.jsonl`), whose last messages the prompt shows. */
  current: boolean;
  /** Sessions: where to resume once the file has grown. */
  resume?: ResumePoint;
}

/** One query on one scope. */
export interface SearchRequest {
  /** The query's words (keyword search; none: vectors only). */
  words: string[];
  /** The query's embedding (vector search). */
  vector?: Float32Array;
  /** Candidates wanted from each method. */
  k: number;
  /** Leave out a current session's last this many messages. */
  hideRecent: number;
}

/** A chunk found, with its raw scores. */
export interface Candidate {
  id: number;
  source: string;
  lineFrom: number;
  lineTo: number;
  date: string;
  hash: string;
  text: string;
  /** BM25, higher is better (FTS5's rank negated); absent when no keyword matched. */
  bm25?: number;
  /** Cosine similarity to the query, when vectors are on. */
  cosine?: number;
}

/** An index of scopes. Calls on one scope are made one at a time by the caller. */
export interface IndexBackend {
  /** Whether this index holds vectors (an embedder is configured and the extension loads). */
  readonly vectors: boolean;
  files(scope: Scope): Promise<IndexedFile[]>;
  begin(scope: Scope, source: string, fromLine: number): Promise<void>;
  add(scope: Scope, source: string, chunks: readonly Chunk[]): Promise<void>;
  commit(scope: Scope, file: IndexedFile): Promise<void>;
  remove(scope: Scope, source: string): Promise<void>;
  /** Trims the scope's cache of vectors once a sync is over. */
  prune(scope: Scope): Promise<void>;
  missingVectors(scope: Scope, limit: number): Promise<{ id: number; text: string }[]>;
  setVectors(scope: Scope, items: readonly { id: number; vector: Float32Array }[]): Promise<void>;
  search(scope: Scope, request: SearchRequest): Promise<Candidate[]>;
  count(scope: Scope): Promise<number>;
  /** Closes the scope's database and deletes its files: nothing of the scope is left. */
  drop(scope: Scope): Promise<void>;
  close(): Promise<void>;
}
