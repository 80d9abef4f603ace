/**
 * Where {@linkcode safeFetch} writes a body it streams to a file, and the `Deno` version.
 *
 * @module
 */

/** Creates and removes the files a streamed body goes to. */
export interface FileSink {
  /** Creates a new file (failing when it exists) and returns a stream that writes it. */
  create(path: string): Promise<WritableStream<Uint8Array>>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
}

/** A {@linkcode FileSink} over `Deno.open` and `Deno.remove`. */
export const denoFileSink: FileSink = {
  async create(path) {
    const file = await Deno.open(path, { write: true, createNew: true });
    return file.writable;
  },
  async remove(path) {
    try {
      await Deno.remove(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  },
};
