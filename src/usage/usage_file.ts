/**
 * Where the usage ledger's lines live: one JSONL file per month, `{dir}/YYYY-MM.jsonl`. The
 * Deno edge and its in-memory twin.
 *
 * @module
 */

/** The month files of the ledger. */
export interface UsageFile {
  /** Appends text (whole lines) to a month's file, creating it. */
  append(month: string, text: string): Promise<void>;
  /** A month's file, or `undefined` when there is none. */
  read(month: string): Promise<string | undefined>;
}

/**
 * The ledger's files in a folder of the data directory (created 0700, files 0600).
 *
 * @param dir The folder, e.g. `{data dir}/usage`
 */
export function denoUsageFile(dir: string): UsageFile {
  let ready = false;
  return {
    async append(month, text) {
      if (!ready) {
        await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
        ready = true;
      }
      await Deno.writeTextFile(`${dir}/${month}.jsonl`, text, { append: true, mode: 0o600 });
    },
    async read(month) {
      try {
        return await Deno.readTextFile(`${dir}/${month}.jsonl`);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
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
  };
}
