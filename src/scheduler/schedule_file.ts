/**
 * The scheduler's state on disk: the Deno edge of {@linkcode ScheduleStore}.
 *
 * @module
 */
import { dirname } from "node:path";
import type { ScheduleStore } from "./schedule_store.ts";

/** Options for {@linkcode scheduleFile}. */
export interface ScheduleFileOptions {
  /**
   * Flush each write to the device before it replaces the file, so that it also survives a
   * power loss (`memory.fsync`). Without it a killed process still never leaves half a file.
   * @default {false}
   */
  fsync?: boolean;
}

/**
 * Keeps the scheduler's state in a JSON file (`{data dir}/schedules.json`). A write goes to
 * `{path}.tmp`, then is renamed over the file, so a killed process or a full disk leaves the
 * previous state whole; a file that cannot be read is renamed `{path}.damaged`.
 *
 * Writes are synchronous: the file is a few kilobytes written into the page cache, and a
 * firing waits for its write, so each asynchronous step would add a turn of a busy event
 * loop to its lateness (measured: tens of milliseconds under load, against microseconds).
 *
 * @param path The JSON file.
 */
export function scheduleFile(path: string, options: ScheduleFileOptions = {}): ScheduleStore {
  let folderMade = false;
  return {
    async read() {
      try {
        return await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
    },
    write(text) {
      try {
        if (!folderMade) Deno.mkdirSync(dirname(path), { recursive: true });
        folderMade = true;
        const temporary = `${path}.tmp`;
        const file = Deno.openSync(temporary, { write: true, create: true, truncate: true });
        try {
          const bytes = new TextEncoder().encode(text);
          for (let written = 0; written < bytes.length;) {
            written += file.writeSync(bytes.subarray(written));
          }
          // The rename must not reach the disk before the data it points to.
          if (options.fsync === true) file.syncSync();
        } finally {
          file.close();
        }
        Deno.renameSync(temporary, path);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async setAside() {
      const aside = `${path}.damaged`;
      await Deno.rename(path, aside);
      return aside;
    },
  };
}
