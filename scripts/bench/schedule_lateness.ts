/**
 * How late scheduled runs fire: a config schedule `every = "1s"` on the real clock, real
 * timers and the real `schedules.json` (a write and a rename before each firing), measured as
 * each firing's `latenessMs` (handed on − due), in three conditions:
 *
 * - `idle`: nothing else running in the process;
 * - `busy_loop`: the process's event loop kept busy with synchronous work of 1–20 ms at a
 *   time (an agent parsing, building prompts, writing histories for other conversations);
 * - `cpu_contention`: the same, plus one spinning process per core, so the scheduler's
 *   process also waits for a core.
 *
 * Run alone: `deno run -A scripts/bench/schedule_lateness.ts [--quick] [--json FILE]`.
 *
 * @module
 */
import { scheduleFile, Scheduler } from "../../src/scheduler/mod.ts";
import { summarize, type Summary } from "./stats.ts";

/** The figures of one condition, in milliseconds. */
export interface LatenessResult {
  condition: "idle" | "busy_loop" | "cpu_contention";
  firings: number;
  lateness: Summary;
  /** Runs of the grid that were never fired (0 when none was skipped). */
  missed: number;
}

/** Options for {@linkcode measureScheduleLateness}. */
export interface LatenessOptions {
  /** Firings per condition. @default {50} */
  firings?: number;
}

/** Fires a 1 s schedule `firings` times in each condition and summarises the lateness. */
export async function measureScheduleLateness(
  options: LatenessOptions = {},
): Promise<LatenessResult[]> {
  const firings = options.firings ?? 50;
  const results: LatenessResult[] = [];
  for (const condition of ["idle", "busy_loop", "cpu_contention"] as const) {
    const burners = condition === "cpu_contention" ? startBurners() : [];
    const busy = condition === "idle" ? undefined : keepEventLoopBusy();
    try {
      results.push({ condition, ...await fireEverySecond(firings) });
    } finally {
      busy?.stop();
      await stopBurners(burners);
    }
  }
  return results;
}

async function fireEverySecond(count: number): Promise<Omit<LatenessResult, "condition">> {
  const dir = await Deno.makeTempDir({ prefix: "fluux-schedule-bench-" });
  const lateness: number[] = [];
  const due: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => done = resolve);
  const scheduler = new Scheduler({
    store: scheduleFile(`${dir}/schedules.json`),
    schedules: [{ name: "tick", to: "bench@localhost", every: "1s", text: "tick" }],
    fire: (firing) => {
      lateness.push(firing.latenessMs);
      due.push(Date.parse(firing.scheduledAt));
      if (lateness.length === count) done();
    },
  });
  try {
    await scheduler.start();
    await finished;
  } finally {
    await scheduler.stop();
    await Deno.remove(dir, { recursive: true });
  }
  const span = (due[due.length - 1]! - due[0]!) / 1000 + 1;
  return { firings: lateness.length, lateness: summarize(lateness), missed: span - due.length };
}

/** Synchronous chunks of 1–20 ms, back to back, each yielding to the event loop once. */
function keepEventLoopBusy(): { stop(): void } {
  let running = true;
  const spin = () => {
    if (!running) return;
    const until = performance.now() + 1 + Math.random() * 19;
    let sink = 0;
    while (performance.now() < until) sink += JSON.stringify({ sink }).length;
    setTimeout(spin, 0);
  };
  spin();
  return { stop: () => void (running = false) };
}

function startBurners(): Deno.ChildProcess[] {
  return Array.from(
    { length: navigator.hardwareConcurrency },
    () =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "for (;;) {}"],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn(),
  );
}

async function stopBurners(burners: Deno.ChildProcess[]): Promise<void> {
  for (const burner of burners) burner.kill("SIGKILL");
  await Promise.all(burners.map((burner) => burner.status));
}

/** One line per condition. */
export function formatLateness(results: readonly LatenessResult[]): string {
  const ms = (value: number) => value.toFixed(1);
  return [
    "Schedule firing lateness (every 1s, real clock, schedules.json written before each firing):",
    ...results.map(({ condition, firings, lateness: l, missed }) =>
      `  ${condition.padEnd(15)} ${firings} firings: p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms, ` +
      `max ${ms(l.max)} ms, missed ${missed}`
    ),
  ].join("\n");
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const jsonAt = Deno.args.indexOf("--json");
  const results = await measureScheduleLateness({ firings: quick ? 10 : 50 });
  console.log(formatLateness(results));
  const file = jsonAt === -1 ? undefined : Deno.args[jsonAt + 1];
  if (file !== undefined) await Deno.writeTextFile(file, JSON.stringify(results, null, 2) + "\n");
}
