/**
 * The {@linkcode MemoryFs} backed by the real filesystem (`Deno.*`): the only file of
 * this folder that touches the disk.
 *
 * @module
 */

import { dirname } from "node:path";
import type { MemoryAppender, MemoryFs, MemoryReader } from "./memory_fs.ts";

/**
 * Appends up to this size (a chat message) are written synchronously: a small write to the
 * page cache takes microseconds, far less than handing it to a worker thread and back.
 * Larger ones (tool results, long answers) go async, so that a slow disk stalls the event
 * loop for one small write at most.
 */
const SYNC_WRITE_MAX = 4 * 1024;

/**
 * Reads up to this size (prompt files, notes, a history's tail) are made synchronously, for
 * the same reason: an async file operation runs on one of Deno's blocking-I/O threads, and
 * with many conversations at once each reading its prompt files, the runtime started dozens
 * of them, each keeping its stack and its allocator's memory after the burst.
 */
const SYNC_READ_MAX = 64 * 1024;

function isNotFound(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound;
}

async function openRead(path: string): Promise<MemoryReader | null> {
  let file: Deno.FsFile;
  try {
    // Only a regular file is opened synchronously: opening a FIFO waits for a writer.
    file = Deno.statSync(path).isFile
      ? Deno.openSync(path, { read: true })
      : await Deno.open(path, { read: true });
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  const { size } = file.statSync();
  return {
    size,
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      const sync = length <= SYNC_READ_MAX;
      if (sync) file.seekSync(offset, Deno.SeekMode.Start);
      else await file.seek(offset, Deno.SeekMode.Start);
      let filled = 0;
      while (filled < length) {
        const rest = buffer.subarray(filled);
        const n = sync ? file.readSync(rest) : await file.read(rest);
        if (n === null) break;
        filled += n;
      }
      return buffer.subarray(0, filled);
    },
    close: () => file.close(),
  };
}

async function openAppend(path: string): Promise<MemoryAppender> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { append: true, create: true });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await Deno.mkdir(dirname(path), { recursive: true });
    file = await Deno.open(path, { append: true, create: true });
  }
  const { size } = await file.stat();
  return {
    size,
    async write(data) {
      let written = 0;
      if (data.length <= SYNC_WRITE_MAX) {
        while (written < data.length) written += file.writeSync(data.subarray(written));
        return;
      }
      while (written < data.length) written += await file.write(data.subarray(written));
    },
    syncData: () => file.syncData(),
    close: () => file.close(),
  };
}

/** The names of a folder's entries that `keep` accepts; `[]` if the folder does not exist. */
async function list(path: string, keep: (entry: Deno.DirEntry) => boolean): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) if (keep(entry)) names.push(entry.name);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return names;
}

/**
 * Creates the filesystem access used in production.
 *
 * @returns A {@linkcode MemoryFs} over `Deno.*` calls (needs read and write permission
 * on the data directory).
 */
export function denoMemoryFs(): MemoryFs {
  return {
    openRead,
    openAppend,
    async mkdirp(path) {
      await Deno.mkdir(path, { recursive: true });
    },
    truncate: (path, length) => Deno.truncate(path, length),
    async readText(path) {
      try {
        const info = Deno.statSync(path);
        if (info.isFile && info.size <= SYNC_READ_MAX) return Deno.readTextFileSync(path);
        return await Deno.readTextFile(path);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async replaceText(path, text, options) {
      // A name of its own, so two writers never share a temporary file.
      const temporary = `${path}.${crypto.randomUUID()}.tmp`;
      try {
        const file = await Deno.open(temporary, { write: true, createNew: true });
        try {
          const bytes = new TextEncoder().encode(text);
          for (let written = 0; written < bytes.length;) {
            written += await file.write(bytes.subarray(written));
          }
          // The rename must not reach the disk before the data it points to.
          if (options.sync) await file.syncData();
        } finally {
          file.close();
        }
        await Deno.rename(temporary, path);
      } catch (error) {
        await Deno.remove(temporary).catch(() => {});
        throw error;
      }
    },
    async renameNoReplace(from, to) {
      // A hard link fails atomically when `to` exists, which a rename cannot promise.
      try {
        await Deno.link(from, to);
      } catch (error) {
        if (error instanceof Deno.errors.AlreadyExists) return false;
        if (isNotFound(error)) throw error;
        // Filesystems without hard links: check, then rename (racy only across processes).
        try {
          await Deno.lstat(to);
          return false;
        } catch (statError) {
          if (!isNotFound(statError)) throw statError;
        }
        await Deno.rename(from, to);
        return true;
      }
      await Deno.remove(from);
      return true;
    },
    async remove(path) {
      try {
        await Deno.remove(path);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    listFiles: (path) => list(path, (entry) => entry.isFile),
    listFolders: (path) => list(path, (entry) => entry.isDirectory),
  };
}
