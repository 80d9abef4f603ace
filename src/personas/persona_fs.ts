/**
 * The few filesystem calls personas make, so their logic can be tested without a disk. A call
 * that finds nothing where it looked returns `null`/`false`/`[]` instead of throwing.
 *
 * @module
 */

/** The filesystem as personas see it. */
export interface PersonaFs {
  /** Reads a whole text file; `null` if it does not exist. */
  readText(path: string): Promise<string | null>;
  /** Writes a text file whole (through a temporary file), creating its missing folders. */
  writeText(path: string, text: string): Promise<void>;
  /** Deletes a file, or a folder with what it holds; `false` if it did not exist. */
  remove(path: string): Promise<boolean>;
  /** Names of the folders in a folder; `[]` if the folder does not exist. */
  listFolders(path: string): Promise<string[]>;
}
