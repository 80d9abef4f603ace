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
  let handle: Deno.FsFile | undefined;
  let size = 0;

  const open = () => {
    if (handle !== undefined) return handle;
    try {
      handle = Deno.openSync(path, { append: true, create: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      handle = Deno.openSync(path, { append: true, create: true });
    }
    size = handle.statSync().size;
    // A line torn by a crash is ended, so that the next state starts a line of its own.
    if (size > 0 && !endsWithNewline(path)) {
      handle.writeSync(encoder.encode("\n"));
      size++;
    }
    return handle;
  };
  const close = () => {
    handle?.close();
    handle = undefined;
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
      const line = text.endsWith("\n") ? text : `${text}\n`;
      const data = encoder.encode(line);
      try {
        if (size + data.length > limit && size > 0) {
          // The newest state alone, in a file swapped in whole.
          close();
          Deno.writeFileSync(`${path}.tmp`, data);
          Deno.renameSync(`${path}.tmp`, path);
          open();
          return Promise.resolve();
        }
        const file = open();
        let written = 0;
        while (written < data.length) written += file.writeSync(data.subarray(written));
        size += data.length;
        return Promise.resolve();
      } catch (error) {
        // A failed write may leave the handle in any state: open afresh next time.
        close();
        return Promise.reject(error);
      }
    },
    close,
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

function endsWithNewline(path: string): boolean {
  const file = Deno.openSync(path, { read: true });
  try {
    file.seekSync(-1, Deno.SeekMode.End);
    const last = new Uint8Array(1);
    return file.readSync(last) === 1 && last[0] === 0x0a;
  } finally {
    file.close();
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
