/**
 * The delivery ledger on disk, with Deno's synchronous file calls: an id is in the file when
 * the call returns, before the sender is answered.
 *
 * @module
 */
import { dirname } from "node:path";
import { AppendHandle } from "../fs/mod.ts";
import type { LedgerFile } from "./delivery_ledger.ts";

/** Options for {@linkcode denoLedgerFile}. */
export interface DenoLedgerFileOptions {
  /**
   * Flush each append to the device (`fdatasync`), which also survives a power loss.
   * @default {false}
   */
  fsync?: boolean;
}

/**
 * The ledger at `path`, appended to through a handle kept open; its folder is created on the
 * first write.
 *
 * @param path Where the file lives, e.g. `<data directory>/webhooks/deliveries.jsonl`.
 */
export function denoLedgerFile(path: string, options: DenoLedgerFileOptions = {}): LedgerFile {
  const file = new AppendHandle(path, { fsync: options.fsync ?? false, lines: true });
  return {
    appendSync: (data) => file.appendSync(data),
    replaceSync(data) {
      const temporary = `${path}.tmp`;
      Deno.mkdirSync(dirname(path), { recursive: true });
      Deno.writeFileSync(temporary, data);
      if (options.fsync) {
        const handle = Deno.openSync(temporary, { read: true, write: true });
        try {
          handle.syncDataSync();
        } finally {
          handle.close();
        }
      }
      // The open append handle points at the file being replaced: reopen after the rename.
      file.close();
      Deno.renameSync(temporary, path);
    },
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
