/**
 * A {@linkcode MemoryFs} held in memory, for tests and dry runs. Folders exist
 * implicitly; it counts the bytes read so tests can check how much a read touched.
 *
 * @module
 */

import { dirname } from "node:path";
import type { MemoryAppender, MemoryFs, MemoryReader } from "./memory_fs.ts";

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Files in a `Map` from path to bytes.
 *
 * @example
 * ```ts
 * const fs = new InMemoryFs();
 * const store = new MemoryStore("/data", { fs });
 * ```
 */
export class InMemoryFs implements MemoryFs {
  /** The files, by path; tests may read and write it directly. */
  readonly files: Map<string, Uint8Array> = new Map();
  /** Bytes returned by every `read` so far. */
  bytesRead = 0;

  openRead(path: string): Promise<MemoryReader | null> {
    const data = this.files.get(path);
    if (data === undefined) return Promise.resolve(null);
    return Promise.resolve({
      size: data.length,
      read: (offset, length) => {
        const slice = data.slice(offset, offset + length);
        this.bytesRead += slice.length;
        return Promise.resolve(slice);
      },
      close: () => {},
    });
  }

  openAppend(path: string): Promise<MemoryAppender> {
    const files = this.files;
    if (!files.has(path)) files.set(path, new Uint8Array());
    return Promise.resolve({
      size: files.get(path)?.length ?? 0,
      write(data) {
        files.set(path, concat(files.get(path) ?? new Uint8Array(), data));
        return Promise.resolve();
      },
      syncData: () => Promise.resolve(),
      close: () => {},
    });
  }

  mkdirp(_path: string): Promise<void> {
    return Promise.resolve();
  }

  truncate(path: string, length: number): Promise<void> {
    const data = this.files.get(path);
    if (data === undefined) {
      return Promise.reject(new Error(`No such file ${JSON.stringify(path)}`));
    }
    this.files.set(path, data.slice(0, length));
    return Promise.resolve();
  }

  readText(path: string): Promise<string | null> {
    const data = this.files.get(path);
    return Promise.resolve(data === undefined ? null : new TextDecoder().decode(data));
  }

  replaceText(path: string, text: string, _options: { sync: boolean }): Promise<void> {
    this.files.set(path, new TextEncoder().encode(text));
    return Promise.resolve();
  }

  renameNoReplace(from: string, to: string): Promise<boolean> {
    const data = this.files.get(from);
    if (data === undefined) {
      return Promise.reject(new Error(`No such file ${JSON.stringify(from)}`));
    }
    if (this.files.has(to)) return Promise.resolve(false);
    this.files.set(to, data);
    this.files.delete(from);
    return Promise.resolve(true);
  }

  remove(path: string): Promise<boolean> {
    return Promise.resolve(this.files.delete(path));
  }

  listFiles(path: string): Promise<string[]> {
    const names = [...this.files.keys()].filter((file) => dirname(file) === path);
    return Promise.resolve(names.map((file) => file.slice(path.length + 1)));
  }

  /** Folders exist here only as the paths of the files under them. */
  listFolders(path: string): Promise<string[]> {
    const names = new Set<string>();
    for (const file of this.files.keys()) {
      if (!file.startsWith(`${path}/`)) continue;
      const rest = file.slice(path.length + 1);
      if (rest.includes("/")) names.add(rest.slice(0, rest.indexOf("/")));
    }
    return Promise.resolve([...names]);
  }
}
