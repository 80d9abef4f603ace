/**
 * A small state file written at almost every message (the catch-up position): each new
 * state is appended as one line through a handle kept open, one write call, instead of a
 * temp file and a rename each time (which cost about 5 % of the agent's CPU per answer).
 * Reading takes the last whole line, so a line torn by a crash leaves the state before it.
 * Past `compactBytes` the file is rewritten with its newest line only, through a temp file
 * and a rename, so it stays small and is never half written.
 *
 * A file written whole by an earlier version (one JSON text, perhaps over several lines)
 * reads as it is.
 *
 * @module
 */
import { AppendHandle, endsWithNewline } from "../fs/mod.ts";

/** Options of {@linkcode snapshotFile}. */
export interface SnapshotFileOptions {
  /** Size past which the file is rewritten with its newest line only. @default {65536} */
  compactBytes?: number;
}

/** The file's operations, as the catch-up takes them. */
export interface SnapshotFile {
  /** The newest state written, or `undefined` when there is none. */
  read(): Promise<string | undefined>;
  /** Appends a state (a line of JSON; a trailing newline is added when missing). */
  write(text: string): Promise<void>;
  /** Closes the kept handle (a later write opens it again). */
  close(): void;
}

const encoder = new TextEncoder();

/**
 * The snapshot file at `path`; its folder is made on the first write when missing.
 *
 * @example
 * ```ts
 * const file = snapshotFile("data/catchup.json");
 * await file.write(JSON.stringify({ own: { at: "2026-12-01T12:00:00Z" } }));
 * ```
 */
export function snapshotFile(path: string, options: SnapshotFileOptions = {}): SnapshotFile {
  const limit = options.compactBytes ?? 65_536;
  const handle = new AppendHandle(path);
  /** The file's size, once the first write has looked. */
  let size: number | undefined;

  const append = (data: Uint8Array) => {
    if (size === undefined) {
      size = sizeOf(path);
      // A line torn by a crash is ended, so that the next state starts a line of its own.
      if (size > 0 && !endsWithNewline(path)) {
        handle.appendSync(encoder.encode("\n"));
        size++;
      }
    }
    if (size > 0 && size + data.length > limit) {
      // The newest state alone, in a file swapped in whole.
      handle.close();
      Deno.writeFileSync(`${path}.tmp`, data);
      Deno.renameSync(`${path}.tmp`, path);
      size = data.length;
      return;
    }
    handle.appendSync(data);
    size += data.length;
  };

  return {
    async read() {
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
      return lastSnapshot(text);
    },
    write(text) {
      try {
        append(encoder.encode(text.endsWith("\n") ? text : `${text}\n`));
        return Promise.resolve();
      } catch (error) {
        size = undefined;
        return Promise.reject(error);
      }
    },
    close: () => handle.close(),
  };
}

/**
 * The newest state in a snapshot file's text: the last line that is whole JSON, or the whole
 * text when it is one JSON text over several lines (as an earlier version wrote it).
 */
export function lastSnapshot(text: string): string | undefined {
  if (parses(text)) return text;
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    if (parses(line)) return line;
  }
  return undefined;
}

function sizeOf(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
