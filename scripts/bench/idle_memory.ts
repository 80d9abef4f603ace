/**
 * `deno task bench --idle`: only the start-up and idle-memory figures of the full bench, in about
 * a minute: rounds that each time fresh starts of the agent to a contact seeing its presence,
 * read its peak RSS once it idles, and then read that of a bare Deno process importing the same
 * third-party modules, as packages and from a minified bundle of them. Alternating the two in every round keeps the machine's memory and speed
 * noise out of their ratio. Then what each part loaded only when first needed costs at its
 * first use (see `lazy_loads.ts`).
 *
 * @module
 */
import { connectBenchUser } from "./bench_user.ts";
import { startFakeLlm } from "../../tests/support/fake_llm.ts";
import { startProsody } from "../../tests/support/prosody.ts";
import { onCleanUp } from "./cleanup.ts";
import { agentModules, importBaseline } from "./import_baseline_process.ts";
import { formatLazyLoads, lazyLoads, type LazyPartFigures } from "./lazy_loads.ts";
import { measureStartUp } from "./start_up.ts";
import { summarize } from "./stats.ts";

/** What {@linkcode idleMemory} measured. */
export interface IdleFigures {
  /** Median start-up to visible presence over every timed start, in ms. */
  startup_ms: number;
  /** One per round: the agent's peak RSS after idling, in MiB. */
  idle_rss_mb: number[];
  /** One per round: the bare Deno process's peak RSS, in MiB. */
  baseline_rss_mb: number[];
  /** Median of `idle_rss_mb` over the median of `baseline_rss_mb`. */
  idle_rss_ratio: number;
  /** One per round: the same bare Deno importing a minified bundle of the modules, in MiB. */
  bundled_baseline_rss_mb: number[];
  /** Median of `idle_rss_mb` over the median of `bundled_baseline_rss_mb`. */
  idle_rss_ratio_bundled: number;
  /** What each part loaded only when first needed costs at its first use. */
  lazy_loads: LazyPartFigures[];
}

/** Options of {@linkcode idleMemory}. */
export interface IdleMemoryOptions {
  /** Rounds (agent then baseline each). @default {3} */
  rounds?: number;
  /** Timed starts a round. @default {2} */
  startsPerRound?: number;
  progress?: (text: string) => void;
}

/**
 * Runs the rounds on a throwaway Prosody and the fake LLM.
 *
 * @throws {Error} When the agent or the baseline does not start.
 */
export async function idleMemory(options: IdleMemoryOptions = {}): Promise<IdleFigures> {
  const rounds = options.rounds ?? 3;
  const progress = options.progress ?? (() => {});
  Deno.env.set("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  const prosody = await startProsody({ disabledModules: ["limits"] });
  onCleanUp(() => prosody.stop());
  const llm = await startFakeLlm({ record: false });
  onCleanUp(() => llm.close());
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-bench-idle-" });
  onCleanUp(() => Deno.remove(dataDir, { recursive: true }));
  // A fresh account and data directory a round: measureStartUp subscribes them to the contact.
  for (let round = 1; round <= rounds; round++) {
    await prosody.register(`starter${round}`, "botpass");
  }
  await prosody.register("carol", "carol");
  const carol = await connectBenchUser(prosody, "carol");
  const times: number[] = [];
  const idle: number[] = [];
  const baseline: number[] = [];
  const bundled: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    progress(`idle memory: round ${round} of ${rounds}`);
    const startUp = await measureStartUp(prosody, {
      llmUrl: llm.url,
      contact: carol,
      agentUser: `starter${round}`,
      dataDir: `${dataDir}/${round}`,
      runs: options.startsPerRound ?? 2,
    });
    times.push(...startUp.times);
    idle.push(startUp.idle.peak_mb);
    baseline.push((await importBaseline(agentModules("anthropic"))).peak_mb);
    bundled.push((await importBaseline(agentModules("anthropic"), { bundled: true })).peak_mb);
  }
  return {
    startup_ms: summarize(times).p50,
    idle_rss_mb: idle,
    baseline_rss_mb: baseline,
    idle_rss_ratio: summarize(idle).p50 / summarize(baseline).p50,
    bundled_baseline_rss_mb: bundled,
    idle_rss_ratio_bundled: summarize(idle).p50 / summarize(bundled).p50,
    lazy_loads: await lazyLoads({ runs: rounds, progress }),
  };
}

/** The figures as a table with the targets of the full bench. */
export function formatIdleFigures(figures: IdleFigures): string {
  const mb = (values: number[]) => values.map((value) => value.toFixed(1)).join(", ");
  const ratio = figures.idle_rss_ratio;
  return [
    `Start-up to visible presence (median): ${figures.startup_ms.toFixed(0)} ms (target < 1000)`,
    `Peak RSS, idle agent, per round:       ${mb(figures.idle_rss_mb)} MB`,
    `Peak RSS, bare Deno, per round:        ${mb(figures.baseline_rss_mb)} MB`,
    `Idle / bare Deno (medians):            ${ratio.toFixed(2)}x (target <= 1.1)`,
    `Peak RSS, bare Deno, bundled modules:  ${mb(figures.bundled_baseline_rss_mb)} MB`,
    `Idle / bare Deno, bundled (medians):   ${figures.idle_rss_ratio_bundled.toFixed(2)}x`,
    formatLazyLoads(figures.lazy_loads),
  ].join("\n");
}
