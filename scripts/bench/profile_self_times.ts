/**
 * Self time per function from a V8 CPU profile, for `bench:profile`.
 *
 * @module
 */
import type { CpuProfile } from "./profile.ts";

/** One function's self time. */
export interface SelfTime {
  /** The function's name, `(anonymous)` or V8's own entries: `(garbage collector)`, `(program)`. */
  name: string;
  /** `file:line` (the project's files relative to its root; packages by their npm path). */
  where: string;
  ms: number;
}

/**
 * Sums each sample's time delta into the node it landed in, then groups nodes by function and
 * file (a function appears once per call path in the profile). The idle entry is left out.
 *
 * @param profile V8's `Profiler.Profile`
 * @param options `root`: the project's root URL, shortened away in `where`
 * @returns Functions by self time, largest first
 */
export function selfTimes(profile: CpuProfile, options: { root: string }): SelfTime[] {
  const byNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A delta is the time since the previous sample: it belongs to the sample before it.
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    byNode.set(samples[i]!, (byNode.get(samples[i]!) ?? 0) + us);
  }
  const grouped = new Map<string, SelfTime>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (us === 0 || node.callFrame.functionName === "(idle)") continue;
    const name = node.callFrame.functionName || "(anonymous)";
    const where = shorten(node.callFrame.url, options.root) +
      (node.callFrame.url === "" ? "" : `:${node.callFrame.lineNumber + 1}`);
    const key = `${name} ${where}`;
    const row = grouped.get(key) ?? { name, where, ms: 0 };
    row.ms += us / 1000;
    grouped.set(key, row);
  }
  return [...grouped.values()].sort((a, b) => b.ms - a.ms);
}

function shorten(url: string, root: string): string {
  if (url === "") return "native";
  if (url.startsWith(root)) return url.slice(root.length);
  const npm = /\/npm\/registry\.npmjs\.org\/(.+)$/.exec(url);
  if (npm) return `npm:${npm[1]}`;
  return url.replace(/^ext:/, "ext:");
}
