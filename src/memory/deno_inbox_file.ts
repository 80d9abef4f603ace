/**
 * The inbox file on disk, with Deno's synchronous file calls: an append is in the file when
 * the call returns, so nothing after it can overtake it.
 *
 * @module
 */
import { AppendHandle } from "../fs/mod.ts";
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
 * The inbox at `path`, appended to through a handle kept open.
 *
 * @param path Where the file lives: `<data directory>/inbox.jsonl`.
 */
export function denoInboxFile(path: string, options: DenoInboxFileOptions = {}): InboxFile {
  const file = new AppendHandle(path, { fsync: options.fsync ?? false, lines: true });
  return {
    appendSync: (data) => file.appendSync(data),
    truncateSync: () => file.truncateSync(),
    close: () => file.close(),
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
