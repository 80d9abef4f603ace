/**
 * History files kept open for appending between turns, so an append costs a write and
 * a sync instead of an open, a stat, a write, a sync and a close. The number open is
 * bounded (least recently used closed first) to stay far from the process's file limit.
 *
 * @module
 */

import type { MemoryAppender, MemoryFs } from "./memory_fs.ts";
import { LruMap } from "./_lru.ts";

/** A history file open for appending, with its size kept up to date by the writer. */
export interface OpenHistory {
  appender: MemoryAppender;
  size: number;
}

/**
 * Open appenders by path. A caller takes one with `acquire` inside the file's queue and
 * gives it back with `release`; a file in use is never in the pool, so closing idle
 * ones never races a write.
 */
export class AppendHandles {
  #fs: MemoryFs;
  #idle: LruMap<string, OpenHistory>;
  #closed = false;

  /**
   * @param fs Filesystem access.
   * @param capacity The most files kept open between appends (0: close after each).
   */
  constructor(fs: MemoryFs, capacity: number) {
    this.#fs = fs;
    this.#idle = new LruMap(capacity);
  }

  /** The open file at `path`, opening (and creating) it if needed. */
  async acquire(path: string): Promise<OpenHistory> {
    const idle = this.#idle.delete(path);
    if (idle !== undefined) return idle;
    const appender = await this.#fs.openAppend(path);
    return { appender, size: appender.size };
  }

  /** Gives a file back after a successful write; kept open unless the pool is full or closed. */
  release(path: string, file: OpenHistory): void {
    if (this.#closed) return file.appender.close();
    for (const [, evicted] of this.#idle.set(path, file)) evicted.appender.close();
  }

  /** Closes the idle file at `path`, before the file is moved or removed. */
  close(path: string): void {
    this.#idle.delete(path)?.appender.close();
  }

  /** Closes every idle file; files in use are closed when released. */
  closeAll(): void {
    this.#closed = true;
    for (const [, file] of this.#idle.clear()) file.appender.close();
  }
}
