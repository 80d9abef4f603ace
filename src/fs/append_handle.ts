/**
 * A file appended to through one handle kept open between appends: an append costs a write
 * (and a sync, when asked), and a stat at most once a second, instead of an open, a write and
 * a close.
 *
 * @module
 */
import { dirname } from "node:path";

/** Options for {@linkcode AppendHandle}. */
export interface AppendHandleOptions {
  /**
   * Flush each append to the device (`fdatasync`), which also survives a power loss.
   * @default {false}
   */
  fsync?: boolean;
  /**
   * The file is lines (JSON Lines): a last line left without its end — a write cut short by
   * a kill or a full disk — is ended before the next append, so that the next line is a line
   * of its own instead of being glued to the torn one and skipped with it by readers.
   * @default {false}
   */
  lines?: boolean;
  /**
   * Permission bits of the file when it is created (the umask applies).
   * @default {0o666}
   */
  mode?: number;
  /**
   * Permission bits of the folders created when the file's folder is missing.
   * @default {0o777}
   */
  dirMode?: number;
  /**
   * How long, in milliseconds, the handle takes the path to still name its file before it
   * looks again (a stat of the path): a file removed, renamed away or replaced by someone else
   * is noticed at the first append after that; until then appends go to the file that was
   * open, as a logger's go to a file rotated away until it reopens. `0` looks at every append.
   * Replacing the file through this process closes the handle first (see
   * {@linkcode AppendHandle.close}), which needs no look.
   * @default {1000}
   */
  recheckMs?: number;
  /** The clock `recheckMs` is measured on, in milliseconds. @default {performance.now} */
  now?: () => number;
}

/**
 * Appends to the file at a path through a handle opened at the first append and kept open.
 * Writes are synchronous: an append is in the file when the call returns, so nothing after
 * it can overtake it, and a line of a few hundred bytes costs less on the event loop than a
 * round trip through Deno's thread pool.
 *
 * The file (and its folder, only when missing) is created at the first append. When the
 * path no longer names the open file (removed, renamed away by log rotation, replaced: looked
 * at once `recheckMs` have passed since the last look), or when a write failed, the next
 * append opens the path afresh (and, with `lines`, looks whether the file ends a line).
 *
 * @example
 * ```ts
 * const file = new AppendHandle(`${dataDir}/inbox.jsonl`, { fsync: true });
 * file.appendSync(new TextEncoder().encode('{"n":1}\n'));
 * file.close(); // at shutdown
 * ```
 */
export class AppendHandle {
  #path: string;
  #options: AppendHandleOptions;
  #file: Deno.FsFile | undefined;
  /** Device and inode of the open file, to notice when the path names another. */
  #id: { dev: number; ino: number | null } | undefined;
  /** With `lines`: the open file ends in a torn line, which the next append ends first. */
  #torn = false;
  /** When the path was last found to name the open file, on `#now`. */
  #lookedAt = 0;
  #recheckMs: number;
  #now: () => number;

  /**
   * @param path The file; nothing is opened until the first append.
   * @param options Durability and the permission bits of what is created.
   */
  constructor(path: string, options: AppendHandleOptions = {}) {
    this.#path = path;
    this.#options = options;
    this.#recheckMs = options.recheckMs ?? 1000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /**
   * Appends all of `data` before returning (to the page cache; to the device too with
   * `fsync`).
   *
   * @throws {Error} When it cannot be opened or written (disk full, permissions); the next
   * append opens the file afresh.
   */
  appendSync(data: Uint8Array): void {
    const file = this.#open();
    if (this.#torn) data = withNewline(data);
    try {
      let written = 0;
      while (written < data.length) written += file.writeSync(data.subarray(written));
      if (this.#options.fsync) file.syncDataSync();
      this.#torn = false;
    } catch (error) {
      // A failed write may leave the handle in any state: open afresh next time.
      this.close();
      throw error;
    }
  }

  /**
   * Empties the file (creating it when missing).
   *
   * @throws {Error} When it cannot be opened or truncated.
   */
  truncateSync(): void {
    const file = this.#open();
    try {
      file.truncateSync(0);
      this.#torn = false;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /**
   * Closes the handle: at shutdown, or before the file is replaced. Closing twice is
   * harmless; an append after it opens the file again.
   */
  close(): void {
    const file = this.#file;
    this.#file = undefined;
    this.#id = undefined;
    file?.close();
  }

  #open(): Deno.FsFile {
    if (this.#file !== undefined) {
      const now = this.#now();
      // A stat at every append cost about 0.1 ms of CPU an answer (four appends a message).
      if (now - this.#lookedAt < this.#recheckMs) return this.#file;
      if (this.#stillAtPath()) {
        this.#lookedAt = now;
        return this.#file;
      }
      this.close();
    }
    const options = {
      append: true,
      create: true,
      ...(this.#options.mode === undefined ? {} : { mode: this.#options.mode }),
    };
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(this.#path, options);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      Deno.mkdirSync(dirname(this.#path), {
        recursive: true,
        ...(this.#options.dirMode === undefined ? {} : { mode: this.#options.dirMode }),
      });
      file = Deno.openSync(this.#path, options);
    }
    try {
      const { dev, ino, size } = file.statSync();
      this.#id = { dev, ino };
      this.#lookedAt = this.#now();
      this.#torn = this.#options.lines === true && size > 0 && !endsWithNewline(this.#path);
    } catch (error) {
      file.close();
      throw error;
    }
    this.#file = file;
    return file;
  }

  /** Whether the path still names the open file. */
  #stillAtPath(): boolean {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(this.#path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    // Without inode numbers (Windows) there is nothing to compare: keep the handle.
    if (info.ino === null || this.#id?.ino === null) return true;
    return info.dev === this.#id?.dev && info.ino === this.#id.ino;
  }
}

/**
 * Whether the file at `path`, not empty, ends with a newline (its last line is whole).
 *
 * @throws {Error} When it cannot be opened or read (an empty file cannot be seeked into).
 */
export function endsWithNewline(path: string): boolean {
  const file = Deno.openSync(path, { read: true });
  try {
    file.seekSync(-1, Deno.SeekMode.End);
    const last = new Uint8Array(1);
    return file.readSync(last) === 1 && last[0] === 0x0a;
  } finally {
    file.close();
  }
}

/** `data` after a newline, in one buffer: one write ends the torn line and adds the new one. */
function withNewline(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 1);
  out[0] = 0x0a;
  out.set(data, 1);
  return out;
}
