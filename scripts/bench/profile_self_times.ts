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

/** One kind of work and the self time of the functions doing it. */
export interface AreaTime {
  area: string;
  ms: number;
}

/**
 * The kinds of work a round trip does, each recognised by its functions' names or files; the
 * first that matches counts. The inspector's own entries come first: they exist only because
 * the profiler is attached (`--inspect` reports every `fetch` to it).
 */
/** The area of the inspector's own work, which `bench:profile` takes out of the agent's CPU. */
export const INSPECTOR_AREA = "the inspector itself (only under --inspect)";

const AREAS: { area: string; test: (row: SelfTime) => boolean }[] = [
  {
    area: INSPECTOR_AREA,
    test: (row) => row.name.startsWith("op_inspector") || row.where.includes("inspector"),
  },
  { area: "garbage collection", test: (row) => row.name === "(garbage collector)" },
  {
    area: "XMPP socket writes (the kernel's wake-up of the reader)",
    test: (row) => ["writeUtf8String", "writeBuffer", "writev"].includes(row.name),
  },
  {
    area: "files (stat, append, read)",
    test: (row) => /^op_(fs_|write_sync|read_sync)/.test(row.name),
  },
  { area: "JSON building (the SDK's body)", test: (row) => row.name === "FallbackEncoder" },
  {
    area: "XML building",
    test: (row) =>
      /src\/xmpp\/_xml\.ts|npm:ltx\/[^/]+\/lib\/(createElement|Element|escape)\.js|npm:@xmpp\/xml\/[^/]+\/lib\/(x|Element)\.js/
        .test(row.where),
  },
  {
    area: "XML parsing",
    test: (row) =>
      /npm:ltx\/[^/]+\/lib\/parsers\/|npm:@xmpp\/xml\/[^/]+\/lib\/Parser/.test(row.where),
  },
  { area: "token estimates", test: (row) => row.where.startsWith("src/llm/token_estimate.ts") },
  {
    area: "HTTP client (fetch, headers, streams)",
    test: (row) =>
      /^ext:deno_(fetch|web\/06_streams|webidl)/.test(row.where) || row.name.startsWith("op_fetch"),
  },
  { area: "LLM SDK", test: (row) => row.where.startsWith("npm:@anthropic-ai/") },
  { area: "xmpp.js", test: (row) => row.where.startsWith("npm:@xmpp/") },
  { area: "the agent's own code", test: (row) => row.where.startsWith("src/") },
  { area: "V8 outside JavaScript (compiling, ICs)", test: (row) => row.name === "(program)" },
];

/**
 * Self times grouped by kind of work ({@linkcode AREAS}); what matches none is `other
 * runtime` (Deno's node layer, timers, text encoding, other packages).
 *
 * @returns Areas by self time, largest first
 */
export function areaTimes(rows: readonly SelfTime[]): AreaTime[] {
  const sums = new Map<string, number>();
  for (const row of rows) {
    const area = AREAS.find(({ test }) => test(row))?.area ?? "other runtime";
    sums.set(area, (sums.get(area) ?? 0) + row.ms);
  }
  return [...sums].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms);
}
