/**
 * `deno task bench --soak [MINUTES]`: does the agent's memory stay flat under a steady load?
 *
 * A throwaway Prosody (Debian's default modules without `limits`), the fake LLM, the agent
 * under its derived permissions (plus `--inspect` on loopback, to read its heap), and a few
 * users in this process sending 10 messages a second in all, each on a fixed clock, whatever
 * the answers do. Every 30 s (10 s with `--quick`) the agent's `VmRSS` is read, then its V8
 * heap in use after a full collection (through the inspector: what is still reachable, the
 * figure that tells a leak from garbage not yet collected). The fake LLM echoes chat messages
 * and answers the context's flushes and summaries briefly, as a model would. Not part of CI: it
 * takes as long as it is told to.
 *
 * @module
 */
import { connectBenchUser } from "./bench_user.ts";
import { runBenchMode } from "./print_figures.ts";
import { startFakeLlm } from "../../tests/support/fake_llm.ts";
import { modelLikeNotes } from "./model_like_notes.ts";
import { startProsody } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import { onCleanUp } from "./cleanup.ts";
import { procMemory } from "./proc_memory.ts";
import { Inspector } from "./profile.ts";
import {
  formatSoakFigures,
  type SoakFigures,
  soakFigures,
  type SoakSample,
} from "./soak_figures.ts";

/** Options of {@linkcode soak}. */
export interface SoakOptions {
  /** How long the load runs. @default {30} */
  minutes?: number;
  /** Users sending at once. @default {5} */
  users?: number;
  /** Messages a second, all users together. @default {10} */
  ratePerSecond?: number;
  /** Between memory samples. @default {30_000} */
  sampleEveryMs?: number;
  /** How long to wait for the last answers once the load stopped. @default {30_000} */
  graceMs?: number;
  progress?: (text: string) => void;
}

const MIB = 1024 * 1024;

/**
 * Runs the soak and returns its figures.
 *
 * @throws {Error} When a process does not start or the agent does not answer at all
 */
export async function soak(options: SoakOptions = {}): Promise<SoakFigures> {
  const minutes = options.minutes ?? 30;
  const users = options.users ?? 5;
  const rate = options.ratePerSecond ?? 10;
  const sampleEvery = options.sampleEveryMs ?? 30_000;
  const progress = options.progress ?? (() => {});
  Deno.env.set("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  progress("soak: starting Prosody, the fake LLM and the agent");
  const prosody = await startProsody({ disabledModules: ["limits"] });
  onCleanUp(() => prosody.stop());
  const llm = await startFakeLlm({ record: false });
  onCleanUp(() => llm.close());
  llm.script(modelLikeNotes);
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-bench-soak-" });
  onCleanUp(() => Deno.remove(dataDir, { recursive: true }));
  await prosody.register("bot", "botpass");
  const names = Array.from({ length: users }, (_, i) => `soak${i}`);
  for (const name of names) await prosody.register(name, name);
  const drivers = await Promise.all(names.map(async (user) => {
    const driver = await connectBenchUser(prosody, user);
    return driver;
  }));
  const bot = `bot@${prosody.domain}`;
  const agent = await startBenchAgent(prosody, {
    llmUrl: llm.url,
    dataDir,
    extraFlags: ["--inspect=127.0.0.1:0"],
  });
  const listening = await agent.process.waitForLog(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/, 20_000);
  const inspector = await Inspector.open(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(listening)![0]);
  onCleanUp(() => Promise.resolve(inspector.close()));
  for (const driver of drivers) await waitAnswering(agent, driver, { jid: bot });

  const pending = new Map<string, number>();
  const roundTrips: number[] = [];
  let wrong = 0;
  let sent = 0;
  let sending = true;
  const receivers = drivers.map(async (driver) => {
    while (sending || pending.size > 0) {
      const reply = await driver.nextReply(bot, 1000).catch(() => undefined);
      if (reply === undefined) continue;
      const text = reply.body.startsWith("echo: ") ? reply.body.slice(6) : undefined;
      const at = text === undefined ? undefined : pending.get(text);
      if (at === undefined) wrong++;
      else {
        pending.delete(text!);
        roundTrips.push(reply.at - at);
      }
    }
  });

  const samples: SoakSample[] = [];
  const start = performance.now();
  const sample = async () => {
    const { rss_mb } = procMemory(agent.pid);
    const heap = await heapAfterGc(inspector);
    const t_s = (performance.now() - start) / 1000;
    const load = Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
    samples.push({ t_s, rss_mb, ...heap, load, answered: roundTrips.length });
    progress(
      `soak: ${t_s.toFixed(0)} s, RSS ${rss_mb.toFixed(1)} MB, heap ${
        heap.heap_mb?.toFixed(1) ?? "?"
      } MB of ${heap.heap_total_mb?.toFixed(1) ?? "?"}, external ${
        heap.external_mb?.toFixed(1) ?? "?"
      } MB, load ${load}, ${roundTrips.length} answered`,
    );
  };
  progress(`soak: ${minutes} min, ${users} users, ${rate} messages/s in all`);
  await sample();
  const durationMs = minutes * 60_000;
  const senders = drivers.map(async (driver, user) => {
    // Each user on its own fixed clock, offset so that the sends spread over the second.
    const every = (1000 * users) / rate;
    for (let i = 0;; i++) {
      const due = start + (user * every) / users + i * every;
      if (due - start >= durationMs) return;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const text = `soak ${user} message ${i}`;
      pending.set(text, performance.now());
      sent++;
      await driver.chat(bot, text);
    }
  });
  const sampler = (async () => {
    for (let n = 1; n * sampleEvery < durationMs; n++) {
      const wait = start + n * sampleEvery - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await sample();
    }
  })();
  await Promise.all([...senders, sampler]);
  const graceEnd = performance.now() + (options.graceMs ?? 30_000);
  while (pending.size > 0 && performance.now() < graceEnd) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await sample();
  sending = false;
  pending.clear();
  await Promise.all(receivers);
  if (roundTrips.length === 0) throw new Error("The agent answered none of the soak's messages");
  return soakFigures({
    minutes,
    users,
    rate_per_s: rate,
    sent,
    round_trips: roundTrips,
    wrong,
    peak_rss_mb: procMemory(agent.pid).peak_mb,
    samples,
  });
}

/**
 * The agent's V8 heap after a full collection, read through the inspector: in use, committed,
 * and the memory outside the heap that JavaScript objects hold (buffers).
 */
async function heapAfterGc(inspector: Inspector) {
  try {
    await inspector.call("HeapProfiler.collectGarbage");
    const { result } = await inspector.call("Runtime.evaluate", {
      expression: "JSON.stringify(Deno.memoryUsage())",
      returnByValue: true,
    });
    const usage = JSON.parse(String(result?.result?.value)) as Deno.MemoryUsage;
    return {
      heap_mb: usage.heapUsed / MIB,
      heap_total_mb: usage.heapTotal / MIB,
      external_mb: usage.external / MIB,
    };
  } catch {
    // The inspector went away: RSS alone still tells.
    return { heap_mb: undefined, heap_total_mb: undefined, external_mb: undefined };
  }
}

/**
 * `--soak`: runs the soak, prints its table, writes the figures as JSON when asked; every
 * process it started is stopped.
 *
 * @returns The exit code: 0 when the run completed (growth or not), 1 when it failed
 */
export async function runSoak(
  options: { minutes: number; quick: boolean; json: string | undefined },
): Promise<number> {
  return await runBenchMode(
    () =>
      soak({
        minutes: options.minutes,
        sampleEveryMs: options.quick ? 10_000 : 30_000,
        progress: (text) => console.error(`[bench] ${text}`),
      }),
    formatSoakFigures,
    { json: options.json },
  );
}
