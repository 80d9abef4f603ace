/**
 * What a part loaded only when it is first needed costs at that moment. The bundle `start` runs
 * splits off each such part (the LLM providers' SDKs, the webhook listener, memory search,
 * `@xmpp/component`) into a chunk that the agent's code imports when it needs it. For each, fresh
 * processes under the agent's V8 flags load the agent's `run` chunk, as a running agent holds
 * it, then that part, and report how long its import took and the RSS it added.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { agentBundle } from "../../src/build/mod.ts";
import { AGENT_V8_FLAGS } from "../../src/config/mod.ts";
import { summarize } from "./stats.ts";

/** One part's first use, medians over fresh processes. */
export interface LazyPartFigures {
  part: LazyPart;
  /** The part's chunk file in the bundle. */
  chunk: string;
  /** Time of its `import()` in an agent that has not loaded it yet, in ms. */
  first_use_ms: number;
  /** RSS that import added, in MiB. */
  added_rss_mb: number;
}

/** The parts the agent loads only when first needed. */
export type LazyPart =
  | "anthropic"
  | "ollama"
  | "openai"
  | "webhooks"
  | "memory search"
  | "@xmpp/component";

/**
 * How each part is recognised among the chunks `run` imports lazily: the providers by the
 * chunk's name (their module's), the others by a string only their code holds.
 */
const PARTS: readonly { part: LazyPart; name?: string; marker?: string }[] = [
  { part: "anthropic", name: "anthropic-" },
  { part: "ollama", name: "ollama-" },
  { part: "openai", name: "openai-" },
  { part: "webhooks", marker: "x-hub-signature-256" },
  { part: "memory search", marker: "vec0" },
  { part: "@xmpp/component", marker: "jabber:component:accept" },
];

/**
 * The chunk of each lazily loaded part, from the bundle's files: the chunks the `run` chunk
 * imports with `import()`, each told apart by its own code and the chunks only it imports.
 *
 * @param files The bundle's file names and texts
 * @throws {Error} When there is no `run` chunk, or a part is not found exactly once (the
 *   bundle's shape changed: the bench must say so rather than time the wrong file)
 */
export function lazyChunks(files: ReadonlyMap<string, string>): Map<LazyPart, string> {
  const run = runChunk(files);
  const lazy = [...files.get(run)!.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
  const closures = new Map(lazy.map((chunk) => [chunk, staticClosure(files, chunk)]));
  const loaded = staticClosure(files, run);
  const found = new Map<LazyPart, string>();
  for (const chunk of lazy) {
    const others = lazy.filter((other) => other !== chunk).flatMap((o) => [...closures.get(o)!]);
    const own = [...closures.get(chunk)!].filter((c) => !loaded.has(c) && !others.includes(c));
    const text = own.map((c) => files.get(c) ?? "").join("\n");
    for (const { part, name, marker } of PARTS) {
      const matches = name !== undefined ? chunk.startsWith(name) : text.includes(marker!);
      if (!matches) continue;
      if (found.has(part)) throw new Error(`Two chunks hold ${part}: ${found.get(part)}, ${chunk}`);
      found.set(part, chunk);
    }
  }
  const missing = PARTS.filter(({ part }) => !found.has(part)).map(({ part }) => part);
  if (missing.length > 0) throw new Error(`No lazily loaded chunk holds ${missing.join(", ")}`);
  return found;
}

/**
 * The bundle's `run` chunk: the `run` command's module and what it alone imports.
 *
 * @throws {Error} When there is none
 */
function runChunk(files: ReadonlyMap<string, string>): string {
  const run = [...files.keys()].find((name) => name.startsWith("run-"));
  if (run === undefined) throw new Error("The bundle has no run chunk");
  return run;
}

/** The chunk and every chunk it imports statically, transitively. */
function staticClosure(files: ReadonlyMap<string, string>, chunk: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const m of (files.get(name) ?? "").matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) {
      visit(m[1]!);
    }
  };
  visit(chunk);
  return seen;
}

/** Options of {@linkcode lazyLoads}. */
export interface LazyLoadsOptions {
  /** Fresh processes per part. @default {5} */
  runs?: number;
  progress?: (text: string) => void;
}

/**
 * Times the first use of each lazily loaded part, from the bundle `start` runs (built first
 * when the sources have none).
 *
 * @throws {Error} When the bundle cannot be built, a part is not found, or a process fails
 */
export async function lazyLoads(options: LazyLoadsOptions = {}): Promise<LazyPartFigures[]> {
  const runs = options.runs ?? 5;
  const bundle = await agentBundle({ v8Flags: AGENT_V8_FLAGS });
  if (!bundle.ok) throw new Error(`No bundle to measure: ${bundle.reason}`);
  const folder = dirname(bundle.entry);
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile && entry.name.endsWith(".js")) {
      files.set(entry.name, await Deno.readTextFile(join(folder, entry.name)));
    }
  }
  const chunks = lazyChunks(files);
  const run = runChunk(files);
  const child = new URL("./lazy_load_child.ts", import.meta.url).pathname;
  const figures: LazyPartFigures[] = [];
  for (const [part, chunk] of chunks) {
    const ms: number[] = [];
    const mb: number[] = [];
    for (let i = 0; i < runs; i++) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", ...AGENT_V8_FLAGS, child, join(folder, run), join(folder, chunk)],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!output.success) {
        throw new Error(`Loading ${part} failed: ${new TextDecoder().decode(output.stderr)}`);
      }
      const measured = JSON.parse(new TextDecoder().decode(output.stdout));
      ms.push(measured.ms);
      mb.push(measured.added_rss_mb);
    }
    const first_use_ms = summarize(ms).p50;
    figures.push({ part, chunk, first_use_ms, added_rss_mb: summarize(mb).p50 });
    options.progress?.(`lazy: ${part} ${first_use_ms.toFixed(1)} ms`);
  }
  return figures;
}

/** One line per part. */
export function formatLazyLoads(figures: readonly LazyPartFigures[]): string {
  return [
    "Loaded when first needed (from the bundle; medians of fresh processes):",
    ...figures.map((f) =>
      `  ${f.part.padEnd(16)} first use ${f.first_use_ms.toFixed(1).padStart(6)} ms, ` +
      `+${f.added_rss_mb.toFixed(1)} MB RSS`
    ),
  ].join("\n");
}
