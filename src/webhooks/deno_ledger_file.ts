/**
 * The delivery ledger on disk, with Deno's synchronous file calls: an id is in the file when
 * the call returns, before the sender is answered.
 *
 * @module
 */
import { dirname } from "node:path";
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
 * The ledger at `path`; its folder is created on the first write.
 *
 * @param path Where the file lives, e.g. `<data directory>/webhooks/deliveries.jsonl`.
 */
export function denoLedgerFile(path: string, options: DenoLedgerFileOptions = {}): LedgerFile {
  let file: Deno.FsFile | undefined;
  const close = () => {
    file?.close();
    file = undefined;
  };
  const open = () => {
    if (file !== undefined) return file;
    Deno.mkdirSync(dirname(path), { recursive: true });
    return file = Deno.openSync(path, { append: true, create: true });
  };
  return {
    appendSync(data) {
      const handle = open();
      try {
        let written = 0;
        while (written < data.length) written += handle.writeSync(data.subarray(written));
        if (options.fsync) handle.syncDataSync();
      } catch (error) {
        // A failed write may leave the handle in any state: open afresh next time.
        close();
        throw error;
      }
    },
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
      close();
      Deno.renameSync(temporary, path);
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
