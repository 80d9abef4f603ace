/**
 * The few filesystem calls the memory store makes, so the store can be tested and
 * measured without touching the disk. Paths are plain strings; every call that finds
 * nothing where it looked returns `null`/`false`/`[]` instead of throwing.
 *
 * @module
 */

/** A file open for positional reads. */
export interface MemoryReader {
  /** Size of the file in bytes when it was opened. */
  readonly size: number;
  /** Reads up to `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases the file. */
  close(): void;
}

/** A file open for appending. */
export interface MemoryAppender {
  /** Size of the file in bytes when it was opened (0 for a new file). */
  readonly size: number;
  /** Appends all of `data` (one write call where the system allows it). */
  write(data: Uint8Array): Promise<void>;
  /** Flushes the file's data to the device (`fdatasync`). */
  syncData(): Promise<void>;
  /** Releases the file. */
  close(): void;
}

/** The filesystem as the memory store sees it. */
export interface MemoryFs {
  /** Opens a file for reading; `null` if it does not exist. */
  openRead(path: string): Promise<MemoryReader | null>;
  /** Opens a file for appending, creating it and its missing parent folders. */
  openAppend(path: string): Promise<MemoryAppender>;
  /** Creates a folder and its parents; no error if it exists. */
  mkdirp(path: string): Promise<void>;
  /** Cuts a file to `length` bytes. */
  truncate(path: string, length: number): Promise<void>;
  /** Reads a whole text file; `null` if it does not exist. */
  readText(path: string): Promise<string | null>;
  /**
   * Replaces a file's text as one step: written to a temporary file beside it, flushed to the
   * device when `sync` is set, then renamed over it, so a reader or a crash sees the old text
   * or the new, never a part. Creates the file when missing (not its folder).
   */
  replaceText(path: string, text: string, options: { sync: boolean }): Promise<void>;
  /** Moves a file unless `to` exists; `false` if `to` exists (nothing moved). */
  renameNoReplace(from: string, to: string): Promise<boolean>;
  /** Deletes a file; `false` if it did not exist. */
  remove(path: string): Promise<boolean>;
  /** Names of the files in a folder; `[]` if the folder does not exist. */
  listFiles(path: string): Promise<string[]>;
  /** Names of the folders in a folder; `[]` if the folder does not exist. */
  listFolders(path: string): Promise<string[]>;
}
