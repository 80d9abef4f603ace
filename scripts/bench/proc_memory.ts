/**
 * Memory of a child process, read from `/proc` (Linux).
 *
 * @module
 */

/** Resident set size now and at its peak, in MiB. */
export interface ProcMemory {
  /** `VmRSS`. */
  rss_mb: number;
  /** `VmHWM`: the peak resident set size since the process started. */
  peak_mb: number;
}

/**
 * Reads `VmRSS` and `VmHWM` of a process.
 *
 * @throws {Error} When the process is gone or `/proc` has no such fields.
 */
export function procMemory(pid: number): ProcMemory {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const field = (name: string) => {
    const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
    if (match === null) throw new Error(`No "${name}" in /proc/${pid}/status`);
    return Number(match[1]) / 1024;
  };
  return { rss_mb: field("VmRSS"), peak_mb: field("VmHWM") };
}

/**
 * Finds this process's child whose command line contains `marker` (e.g. its config file).
 *
 * @returns Its pid, or `undefined` when there is none.
 */
export function childPid(marker: string): number | undefined {
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // The command name is in parentheses and may hold spaces: fields start after ") ".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== Deno.pid) continue;
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      if (cmdline.includes(marker)) return Number(entry.name);
    } catch {
      // Gone while reading.
    }
  }
  return undefined;
}

/**
 * The pid of a Prosody this process started.
 *
 * @throws {Error} When it cannot be found.
 */
export function prosodyPid(prosody: { configFile: string }): number {
  const pid = childPid(prosody.configFile);
  if (pid === undefined) {
    throw new Error(`Cannot find the Prosody process of "${prosody.configFile}"`);
  }
  return pid;
}
