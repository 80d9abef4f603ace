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
 * @param path The JSON file.
 */
export function scheduleFile(path: string, options: ScheduleFileOptions = {}): ScheduleStore {
  return {
    async read() {
      try {
        return await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
    },
    async write(text) {
      await Deno.mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
      try {
        const bytes = new TextEncoder().encode(text);
        for (let written = 0; written < bytes.length;) {
          written += await file.write(bytes.subarray(written));
        }
        // The rename must not reach the disk before the data it points to.
        if (options.fsync === true) await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(temporary, path);
    },
    async setAside() {
      const aside = `${path}.damaged`;
      await Deno.rename(path, aside);
      return aside;
    },
  };
}
