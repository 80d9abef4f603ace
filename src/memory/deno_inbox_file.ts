/**
 * The inbox file on disk, with Deno's synchronous file calls: an append is in the file when
 * the call returns, so nothing after it can overtake it.
 *
 * @module
 */
import type { InboxFile } from "./inbox.ts";

/** Options for {@linkcode denoInboxFile}. */
export interface DenoInboxFileOptions {
  /**
   * Flush each append to the device (`fdatasync`), which also survives a power loss.
   * @default {false}
   */
  fsync?: boolean;
}

/**
 * The inbox at `path` (its folder must exist).
 *
 * @param path Where the file lives: `<data directory>/inbox.jsonl`.
 */
export function denoInboxFile(path: string, options: DenoInboxFileOptions = {}): InboxFile {
  let file: Deno.FsFile | undefined;
  const open = () => file ??= Deno.openSync(path, { append: true, create: true });
  return {
    appendSync(data) {
      const handle = open();
      try {
        let written = 0;
        while (written < data.length) written += handle.writeSync(data.subarray(written));
        if (options.fsync) handle.syncDataSync();
      } catch (error) {
        // A failed write may leave the handle in any state: open afresh next time.
        handle.close();
        file = undefined;
        throw error;
      }
    },
    truncateSync() {
      open().truncateSync(0);
    },
    async read() {
      try {
        return await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      }
    },
  };
}
