/**
 * Where the usage ledger's lines live: one JSONL file per month, `{dir}/YYYY-MM.jsonl`. The
 * Deno edge and its in-memory twin.
 *
 * @module
 */
import { AppendHandle } from "../fs/mod.ts";

/** The month files of the ledger. */
export interface UsageFile {
  /** Appends text (whole lines) to a month's file, creating it. */
  append(month: string, text: string): Promise<void>;
  /** A month's file, or `undefined` when there is none. */
  read(month: string): Promise<string | undefined>;
  /** Lets go of what is held open (at shutdown); an append after it opens the file again. */
  close(): void;
}

/**
 * The ledger's files in a folder of the data directory (created 0700, files 0600). The
 * month being written is kept open: a line is written at every LLM call.
 *
 * @param dir The folder, e.g. `{data dir}/usage`
 * @param options How soon a month's file removed or replaced meanwhile is noticed (see
 * {@linkcode AppendHandle}'s `recheckMs`; a second by default)
 */
export function denoUsageFile(dir: string, options: { recheckMs?: number } = {}): UsageFile {
  const encoder = new TextEncoder();
  let current: AppendHandle | undefined;
  const handle = (month: string) => {
    const path = `${dir}/${month}.jsonl`;
    if (current?.path === path) return current;
    // A new month: last month's file is done with.
    current?.close();
    // A line a kill cut short is ended first: the next call is counted, not glued to it.
    return current = new AppendHandle(path, {
      mode: 0o600,
      dirMode: 0o700,
      lines: true,
      ...options,
    });
  };
  return {
    // Synchronous inside: a line of a few hundred bytes, in the order the calls were recorded.
    // deno-lint-ignore require-await
    async append(month, text) {
      handle(month).appendSync(encoder.encode(text));
    },
    async read(month) {
      try {
        return await Deno.readTextFile(`${dir}/${month}.jsonl`);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
    },
    close() {
      current?.close();
      current = undefined;
    },
  };
}

/** An in-memory {@linkcode UsageFile}, for tests and dry runs; `files` holds each month's text. */
export function memoryUsageFile(files: Map<string, string> = new Map()): UsageFile & {
  files: Map<string, string>;
} {
  return {
    files,
    append(month, text) {
      files.set(month, (files.get(month) ?? "") + text);
      return Promise.resolve();
    },
    read(month) {
      return Promise.resolve(files.get(month));
    },
    close() {},
  };
}
