/**
 * Filesystem wrappers for the store's tests: they count what the store opens and reads.
 *
 * @module
 */

import type { MemoryFs } from "./memory_fs.ts";
import { denoMemoryFs } from "./deno_memory_fs.ts";

/** A filesystem that counts the files it has open and the bytes read. */
export interface CountingFs extends MemoryFs {
  /** Files opened and not yet closed. */
  open: number;
  /** Bytes returned by reads so far (reset it freely). */
  bytesRead: number;
  /** Calls of `readText` so far (reset it freely). */
  textReads: number;
}

/**
 * Wraps a filesystem to count open files, bytes read and whole-file reads.
 *
 * @param inner The filesystem to wrap.
 * @returns The counting filesystem.
 */
export function countingFs(inner: MemoryFs = denoMemoryFs()): CountingFs {
  const fs: CountingFs = {
    ...inner,
    open: 0,
    bytesRead: 0,
    textReads: 0,
    async openRead(path) {
      const reader = await inner.openRead(path);
      if (reader === null) return null;
      fs.open++;
      return {
        size: reader.size,
        close: () => (fs.open--, reader.close()),
        async read(offset, length) {
          const bytes = await reader.read(offset, length);
          fs.bytesRead += bytes.length;
          return bytes;
        },
      };
    },
    async openAppend(path) {
      const appender = await inner.openAppend(path);
      fs.open++;
      return {
        size: appender.size,
        write: (data) => appender.write(data),
        syncData: () => appender.syncData(),
        close: () => (fs.open--, appender.close()),
      };
    },
    readText(path) {
      fs.textReads++;
      return inner.readText(path);
    },
  };
  return fs;
}
