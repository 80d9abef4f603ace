// Test helpers: a scheduler on a fake clock and an in-memory store, recording its firings.
import { FakeClock } from "./fake_clock.ts";
import { type MemoryScheduleStore, memoryScheduleStore } from "./schedule_store.ts";
import { type ScheduleFiring, Scheduler, type SchedulerOptions } from "./scheduler.ts";
import { createLogger } from "../log/mod.ts";

/** One scheduler run over a clock and a store that outlive it (a restart reuses both). */
export interface Harness {
  clock: FakeClock;
  store: MemoryScheduleStore;
  scheduler: Scheduler;
  fired: ScheduleFiring[];
  logs: string[];
}

/** Starts a scheduler; pass `from` to restart on another run's clock and store. */
export async function startScheduler(
  options: Partial<Omit<SchedulerOptions, "fire">> & { start?: string } = {},
  from?: Pick<Harness, "clock" | "store">,
): Promise<Harness> {
  const clock = from?.clock ?? new FakeClock(options.start ?? "2026-03-27T12:00:00Z");
  const store = from?.store ?? memoryScheduleStore();
  const fired: ScheduleFiring[] = [];
  const logs: string[] = [];
  const log = createLogger("scheduler", {
    level: "debug",
    write: (line) => logs.push(line),
    now: () => clock.now(),
  });
  const scheduler = new Scheduler({
    clock,
    store,
    log,
    timeZone: "UTC",
    ...options,
    fire: (firing) => fired.push(firing),
  });
  await scheduler.start();
  return { clock, store, scheduler, fired, logs };
}

/** The scheduled instants of the firings. */
export function times(fired: readonly ScheduleFiring[]): string[] {
  return fired.map((firing) => firing.scheduledAt);
}
