/**
 * `main.ts reindex [--config <path>]`: rebuilds every memory search index from the files
 * (each conversation folder and the shared folder), with a progress line on standard error.
 * Vectors already computed for unchanged text are kept, so an embedder sees only new text.
 * It runs with the agent's own permissions (`permissions` prints them); the agent may keep
 * running meanwhile (SQLite locks each database while it is written).
 *
 * @module
 */
import type { LoadedConfig } from "../config/mod.ts";
import { errorMessage } from "../log/mod.ts";
import { createMemorySearch, type CreateMemorySearchOptions, SHARED_SCOPE } from "../search/mod.ts";

/** Options of {@linkcode reindexCommand}. */
export interface ReindexCommandOptions extends CreateMemorySearchOptions {
  /** Where progress and the summary go. @default {standard error} */
  write?: (text: string) => void;
  /** Whether `write` goes to a terminal (progress then rewrites one line). @default {Deno.stderr.isTerminal()} */
  terminal?: boolean;
  /** The clock, for the duration shown. @default {Date.now} */
  now?: () => number;
}

const encoder = new TextEncoder();

/**
 * Rebuilds the indexes.
 *
 * @returns The exit code: 0 when done, 1 when indexing failed, 2 when search is off.
 */
export async function reindexCommand(
  loaded: LoadedConfig,
  options: ReindexCommandOptions = {},
): Promise<number> {
  const write = options.write ??
    ((text: string) => void Deno.stderr.writeSync(encoder.encode(text)));
  const terminal = options.terminal ?? Deno.stderr.isTerminal();
  const now = options.now ?? Date.now;
  const search = createMemorySearch(loaded, {
    ...options,
    warn: (message) => write(`\nfluux-agent: warning: ${message}\n`),
  });
  if (search === undefined) {
    write("fluux-agent: memory search is off (memory.search.enabled = false): nothing to index\n");
    return 2;
  }
  const started = now();
  try {
    const { scopes, chunks } = await search.reindex(({ scope, done, total, chunks }) => {
      const line = `Indexed ${done}/${total} scopes, ${chunks} chunks (${
        scope === SHARED_SCOPE ? "shared" : scope
      })`;
      write(terminal ? `\r\x1b[2K${line}` : `${line}\n`);
    });
    const seconds = ((now() - started) / 1000).toFixed(1);
    write(`${terminal ? "\n" : ""}Reindexed ${scopes} scopes: ${chunks} chunks in ${seconds} s\n`);
    return 0;
  } catch (error) {
    write(
      `\nfluux-agent: reindexing failed: ${errorMessage(error)}\n`,
    );
    return 1;
  } finally {
    await search.close();
  }
}
