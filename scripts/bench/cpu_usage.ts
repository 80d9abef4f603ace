/**
 * CPU use of processes and of the whole machine over a stretch of a run, read from `/proc`
 * (Linux): which process a throughput figure is bound by, and whether the machine had a
 * core to spare.
 *
 * @module
 */

/** Clock ticks a second of `/proc`'s CPU times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU times at one instant, in clock ticks. */
export interface CpuSnapshot {
  /** When it was taken (`performance.now()`). */
  at: number;
  /** All cores: ticks spent busy, and in all (busy + idle + iowait). */
  machine: { busy: number; total: number };
  /** Each named process's user + system ticks (its threads included). */
  processes: Record<string, number>;
}

/** CPU use between two snapshots. */
export interface CpuUsage {
  /** Each named process, in cores (1 = one core busy all the time). */
  cores: Record<string, number>;
  /** Share of the machine's cores that were busy, whatever ran (0–1). */
  machine_busy: number;
}

/**
 * The user + system ticks of a `/proc/<pid>/stat` line.
 *
 * @throws {Error} When the line has too few fields.
 */
export function processTicks(stat: string): number {
  // The command name is in parentheses and may hold spaces: fields 3 on start after ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`No CPU times in the stat line "${stat.slice(0, 80)}"`);
  }
  return utime + stime;
}

/**
 * The CPU time (user + system) a process has used so far, in ms, to the clock tick (10 ms).
 *
 * @throws {Error} When the process is gone.
 */
export function processCpuMs(pid: number): number {
  return (processTicks(Deno.readTextFileSync(`/proc/${pid}/stat`)) * 1000) / TICKS_PER_SECOND;
}

/**
 * Busy and total ticks of the `cpu` line of `/proc/stat` (idle and iowait are not busy;
 * guest time is already in user time).
 *
 * @throws {Error} When there is no `cpu` line.
 */
export function machineTicks(procStat: string): { busy: number; total: number } {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (line === undefined) throw new Error("No cpu line in /proc/stat");
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/)
    .slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/**
 * Reads the CPU times of the machine and of each process in `pids`.
 *
 * @throws {Error} When `/proc` cannot be read or a process is gone.
 */
export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const processes: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    processes[name] = processTicks(Deno.readTextFileSync(`/proc/${pid}/stat`));
  }
  return {
    at: performance.now(),
    machine: machineTicks(Deno.readTextFileSync("/proc/stat")),
    processes,
  };
}

/** The CPU use from `before` to `after`. */
export function cpuUsage(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const seconds = (after.at - before.at) / 1000;
  const cores: Record<string, number> = {};
  for (const [name, ticks] of Object.entries(after.processes)) {
    const from = before.processes[name] ?? ticks;
    cores[name] = seconds > 0 ? (ticks - from) / TICKS_PER_SECOND / seconds : 0;
  }
  const total = after.machine.total - before.machine.total;
  const busy = after.machine.busy - before.machine.busy;
  return { cores, machine_busy: total > 0 ? busy / total : 0 };
}
