/**
 * The figures of a soak: memory samples taken during a steady load, reduced to what tells
 * whether the agent grows (the slope over the second half, after warm-up) and how the load
 * went (answered, lost, round trips).
 *
 * @module
 */
import { summarize } from "./stats.ts";

/** One reading of the agent's memory during the soak. */
export interface SoakSample {
  /** Seconds since the load started. */
  t_s: number;
  /** `VmRSS`, MiB. */
  rss_mb: number;
  /** V8 heap in use after a full collection, MiB (`undefined` when the inspector was not reached). */
  heap_mb: number | undefined;
  /** V8 heap committed, MiB (`undefined` as for `heap_mb`). */
  heap_total_mb?: number | undefined;
  /** Memory held outside the heap by JavaScript objects (buffers), MiB. */
  external_mb?: number | undefined;
  /** The machine's load average over the last minute (other work slows the answers). */
  load?: number;
  /** Answers received so far. */
  answered: number;
}

/** What a soak measured. */
export interface SoakFigures {
  minutes: number;
  users: number;
  /** Messages sent a second, all users together (the target rate). */
  rate_per_s: number;
  sent: number;
  answered: number;
  /** Sent but not answered before the bench stopped waiting. */
  lost: number;
  /** Answers whose text was not the echo of a message sent. */
  wrong: number;
  round_trip_p50_ms: number;
  round_trip_p99_ms: number;
  start_rss_mb: number;
  end_rss_mb: number;
  /** `VmHWM` at the end: the peak over the whole run, samples or not. */
  peak_rss_mb: number;
  /** Least-squares slope of RSS over the second half, MiB per 10 minutes. */
  rss_slope_mb_per_10min: number;
  start_heap_mb: number | undefined;
  end_heap_mb: number | undefined;
  heap_slope_mb_per_10min: number | undefined;
  samples: SoakSample[];
}

/**
 * The least-squares slope of `y` over `x`, per unit of `x`.
 *
 * @throws {RangeError} When there are fewer than two points or every `x` is the same
 */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) throw new RangeError(`Need two points for a slope, got ${points.length}`);
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) throw new RangeError("Cannot take a slope of points that share one x");
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

/**
 * The growth of a sampled quantity over the second half of the run (after warm-up), in its
 * unit per 10 minutes.
 *
 * @throws {RangeError} When the second half holds fewer than two samples
 */
export function secondHalfSlope(
  samples: readonly SoakSample[],
  value: (sample: SoakSample) => number,
): number {
  const end = samples.at(-1)?.t_s ?? 0;
  const half = samples.filter((s) => s.t_s >= end / 2).map((s) => ({ x: s.t_s, y: value(s) }));
  return slope(half) * 600;
}

/** Inputs of {@linkcode soakFigures}. */
export interface SoakRun {
  minutes: number;
  users: number;
  rate_per_s: number;
  sent: number;
  round_trips: number[];
  wrong: number;
  peak_rss_mb: number;
  samples: SoakSample[];
}

/**
 * Reduces a soak's samples and counts to its figures.
 *
 * @throws {RangeError} When there are fewer than two samples in the second half
 */
export function soakFigures(run: SoakRun): SoakFigures {
  const first = run.samples[0];
  const last = run.samples.at(-1);
  if (first === undefined || last === undefined) throw new RangeError("A soak needs samples");
  const heaps = run.samples.every((s) => s.heap_mb !== undefined);
  const times = run.round_trips.length > 0 ? summarize(run.round_trips) : undefined;
  return {
    minutes: run.minutes,
    users: run.users,
    rate_per_s: run.rate_per_s,
    sent: run.sent,
    answered: run.round_trips.length,
    lost: run.sent - run.round_trips.length,
    wrong: run.wrong,
    round_trip_p50_ms: times?.p50 ?? NaN,
    round_trip_p99_ms: times?.p99 ?? NaN,
    start_rss_mb: first.rss_mb,
    end_rss_mb: last.rss_mb,
    peak_rss_mb: run.peak_rss_mb,
    rss_slope_mb_per_10min: secondHalfSlope(run.samples, (s) => s.rss_mb),
    start_heap_mb: first.heap_mb,
    end_heap_mb: last.heap_mb,
    heap_slope_mb_per_10min: heaps ? secondHalfSlope(run.samples, (s) => s.heap_mb!) : undefined,
    samples: run.samples,
  };
}

/** Formats the figures as a table with the goal, and the samples below it. */
export function formatSoakFigures(f: SoakFigures): string {
  const mb = (v: number | undefined) => v === undefined ? "—" : `${v.toFixed(1)} MB`;
  const perTen = (v: number | undefined) =>
    v === undefined ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(2)} MB / 10 min`;
  const lines = [
    `Soak: ${f.minutes} min, ${f.users} users, ${f.rate_per_s} messages/s in all`,
    `messages sent / answered / lost / wrong   ${f.sent} / ${f.answered} / ${f.lost} / ${f.wrong}`,
    `round trip p50 / p99                      ${f.round_trip_p50_ms.toFixed(2)} ms / ${
      f.round_trip_p99_ms.toFixed(2)
    } ms`,
    `RSS start / end / peak                    ${mb(f.start_rss_mb)} / ${mb(f.end_rss_mb)} / ${
      mb(f.peak_rss_mb)
    }`,
    `RSS slope over the second half            ${perTen(f.rss_slope_mb_per_10min)}`,
    `heap after GC start / end                 ${mb(f.start_heap_mb)} / ${mb(f.end_heap_mb)}`,
    `heap slope over the second half           ${perTen(f.heap_slope_mb_per_10min)}`,
    "Goal: no growth (a slope near zero, within the noise of the samples).",
    "",
    "     t   RSS MB   heap MB   committed   external   load   answered",
  ];
  const column = (v: number | undefined, width: number) => (v?.toFixed(1) ?? "—").padStart(width);
  for (const s of f.samples) {
    lines.push(
      `${String(Math.round(s.t_s)).padStart(5)} s ${column(s.rss_mb, 7)} ${column(s.heap_mb, 9)} ${
        column(s.heap_total_mb, 11)
      } ${column(s.external_mb, 10)} ${column(s.load, 6)} ${String(s.answered).padStart(10)}`,
    );
  }
  return lines.join("\n");
}
