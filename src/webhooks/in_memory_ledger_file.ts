import type { LedgerFile } from "./delivery_ledger.ts";

/**
 * A {@linkcode LedgerFile} in memory, for tests and dry runs: what is appended is in
 * {@linkcode InMemoryLedgerFile.text} at once, as on disk. `failWrites` makes every write
 * throw, like a full disk.
 */
export class InMemoryLedgerFile implements LedgerFile {
  /** The file's content; `null` before anything was written. */
  text: string | null;
  /** When set, writes throw this error. */
  failWrites: Error | undefined;
  #decoder = new TextDecoder();

  /** @param text What the file holds at first (`null`: it does not exist). */
  constructor(text: string | null = null) {
    this.text = text;
  }

  appendSync(data: Uint8Array): void {
    if (this.failWrites !== undefined) throw this.failWrites;
    this.text = (this.text ?? "") + this.#decoder.decode(data);
  }

  replaceSync(data: Uint8Array): void {
    if (this.failWrites !== undefined) throw this.failWrites;
    this.text = this.#decoder.decode(data);
  }

  read(): Promise<string | null> {
    return Promise.resolve(this.text);
  }

  close(): void {}
}
