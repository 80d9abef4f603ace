/**
 * The index process: the only part of the agent that loads native code (sqlite-vec, through
 * `--allow-ffi`). It reads and writes the index directory and nothing else, holds no network
 * and no environment, and takes requests on standard input from the agent, which reads the
 * memory files and computes the embeddings. See `indexProcessCommand` for its flags.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import * as sqliteVec from "sqlite-vec";
import { errorMessage } from "../log/mod.ts";
import type { Chunk } from "./chunk.ts";
import type { IndexedFile, SearchRequest } from "./index_backend.ts";
import { decodeVector, type IndexAnswer, type IndexRequest } from "./_index_protocol.ts";
import { ScopeIndexPool } from "./scope_index_pool.ts";

/**
 * Serves index requests until standard input ends. Arguments: `--dir=<index directory>`
 * `--model=<embedding model>`.
 *
 * @returns The exit code: 0 once input ended, 1 when sqlite-vec cannot be loaded, 2 on bad
 * arguments.
 */
export async function serveIndexChild(args: readonly string[]): Promise<number> {
  const option = (name: string) =>
    args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dir = option("dir");
  const model = option("model");
  if (dir === undefined || model === undefined) {
    answer({ id: 0, error: "The index process needs --dir=<folder> and --model=<name>" });
    return 2;
  }
  try {
    const probe = new DatabaseSync(":memory:", { allowExtension: true });
    sqliteVec.load(probe);
    probe.close();
  } catch (error) {
    answer({ id: 0, error: `Cannot load sqlite-vec: ${errorMessage(error)}` });
    return 1;
  }
  const pool = new ScopeIndexPool(dir, {
    loadVectors: (db) => sqliteVec.load(db),
    vectorModel: model,
  });
  answer({ id: 0, result: "ready" });
  try {
    for await (const line of lines(Deno.stdin.readable)) {
      if (line.trim() === "") continue;
      let request: IndexRequest;
      try {
        request = JSON.parse(line);
      } catch {
        continue;
      }
      try {
        answer({ id: request.id, result: perform(pool, request) ?? null });
      } catch (error) {
        answer({ id: request.id, error: errorMessage(error) });
      }
    }
  } finally {
    pool.close();
  }
  return 0;
}

function perform(pool: ScopeIndexPool, { op, args }: IndexRequest): unknown {
  const scope = String(args[0]);
  switch (op) {
    case "files":
      return pool.get(scope).files();
    case "begin":
      return pool.get(scope).begin(String(args[1]), Number(args[2]));
    case "add":
      return pool.get(scope).add(String(args[1]), args[2] as Chunk[]);
    case "commit":
      return pool.get(scope).commit(args[1] as IndexedFile);
    case "remove":
      return pool.get(scope).remove(String(args[1]));
    case "prune":
      return pool.get(scope).prune();
    case "missingVectors":
      return pool.get(scope).missingVectors(Number(args[1]));
    case "setVectors": {
      const items = (args[1] as { id: number; vector: string }[])
        .map(({ id, vector }) => ({ id, vector: decodeVector(vector) }));
      return pool.get(scope).setVectors(items);
    }
    case "search": {
      const request = args[1] as Omit<SearchRequest, "vector"> & { vector?: string };
      const { vector, ...rest } = request;
      return pool.get(scope).search(
        vector === undefined ? rest : { ...rest, vector: decodeVector(vector) },
      );
    }
    case "count":
      return pool.get(scope).count();
    case "drop":
      return pool.drop(scope);
    default:
      throw new RangeError(`Unknown index request "${op}"`);
  }
}

const encoder = new TextEncoder();

function answer(message: IndexAnswer): void {
  const bytes = encoder.encode(JSON.stringify(message) + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let carry = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    carry += text;
    let newline = carry.indexOf("\n");
    while (newline !== -1) {
      yield carry.slice(0, newline);
      carry = carry.slice(newline + 1);
      newline = carry.indexOf("\n");
    }
  }
  if (carry !== "") yield carry;
}

if (import.meta.main) Deno.exit(await serveIndexChild(Deno.args));
