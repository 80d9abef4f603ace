/**
 * The file operations the attachment downloader needs, and their `Deno` version.
 *
 * @module
 */
import { denoFileSink, type FileSink } from "../net/mod.ts";

/** Creates, reads and removes files in the files folders. */
export interface AttachmentFs extends FileSink {
  /** Creates a folder and its parents; an existing folder is fine. */
  mkdir(path: string): Promise<void>;
  /** Reads at most the first `maxBytes` bytes of a file. */
  readHead(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** An {@linkcode AttachmentFs} over `Deno.open`, `Deno.mkdir` and `Deno.remove`. */
export const denoAttachmentFs: AttachmentFs = {
  ...denoFileSink,
  async mkdir(path) {
    await Deno.mkdir(path, { recursive: true });
  },
  async readHead(path, maxBytes) {
    using file = await Deno.open(path, { read: true });
    const buffer = new Uint8Array(maxBytes);
    let filled = 0;
    while (filled < maxBytes) {
      const read = await file.read(buffer.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  },
};
