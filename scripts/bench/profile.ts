/**
 * `deno task bench:profile`: where the agent spends its CPU under the bench's round trips.
 *
 * Starts a throwaway Prosody, the fake LLM and the agent under its derived permissions plus
 * `--inspect` on a loopback port, samples the agent's CPU through the inspector (V8's
 * `Profiler` domain) during sequential round trips, and prints the functions with the most
 * self time, grouped by kind of work (garbage collection, socket writes, JSON and XML
 * building, the HTTP client, the agent's own code...) and by function and file. `--json FILE`
 * also writes the raw `.cpuprofile` (Chrome DevTools and speedscope open it).
 *
 * @module
 */
import { connectBenchUser } from "./bench_user.ts";
import { startFakeLlm } from "../../tests/support/fake_llm.ts";
import { modelLikeNotes } from "./model_like_notes.ts";
import { startProsody } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import { cleanUp, onCleanUp } from "./cleanup.ts";
import { flood } from "./flood.ts";
import { areaTimes, INSPECTOR_AREA, selfTimes } from "./profile_self_times.ts";

const HELP = `Usage: deno task bench:profile [--messages N] [--flood] [--stream-replies MODE]
                               [--top N] [--json FILE]

Profiles the agent's CPU during N sequential round trips (default 2000), or with --flood while
one user sends N messages as fast as it can, and prints the self time by kind of work and the
top self-time entries (default 25). --json FILE writes the raw .cpuprofile too.`;

export interface InspectorMessage {
  id?: number;
  result?: { profile?: CpuProfile; result?: { value?: unknown } };
  error?: { message: string };
}

/** The part of V8's `Profiler.Profile` read here. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
export class Inspector {
  #socket: WebSocket;
  #next = 1;
  #waiting = new Map<number, (message: InspectorMessage) => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as InspectorMessage;
      if (message.id !== undefined) this.#waiting.get(message.id)?.(message);
    };
  }

  static async open(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error(`Cannot open the inspector at ${url}`));
    });
    return new Inspector(socket);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<InspectorMessage> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, (message) => {
        this.#waiting.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message);
      });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#socket.close();
  }
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const messages = Number(flag(args, "--messages") ?? 2000);
  const top = Number(flag(args, "--top") ?? 25);
  const json = flag(args, "--json");
  if (!Number.isInteger(messages) || messages < 1 || !Number.isInteger(top) || top < 1) {
    console.error("--messages and --top take a positive whole number");
    return 2;
  }
  Deno.env.set("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  const prosody = await startProsody({ disabledModules: ["limits"] });
  onCleanUp(() => prosody.stop());
  const llm = await startFakeLlm({ record: false });
  llm.script(modelLikeNotes);
  onCleanUp(() => llm.close());
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-profile-" });
  onCleanUp(() => Deno.remove(dataDir, { recursive: true }));
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alice");
  const alice = await connectBenchUser(prosody, "alice");
  const bot = `bot@${prosody.domain}`;
  const agent = await startBenchAgent(prosody, {
    llmUrl: llm.url,
    dataDir,
    // From the sources: the bundle's minified names and chunks would hide whose code runs (its
    // CPU per message is the same; see the README's performance section).
    entry: "sources",
    extraFlags: ["--inspect=127.0.0.1:0"],
    ...(flag(args, "--stream-replies") === undefined
      ? {}
      : { streamReplies: flag(args, "--stream-replies") as "paragraphs" | "corrections" | "off" }),
  });
  const listening = await agent.process.waitForLog(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/, 20_000);
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(listening)![0];
  await waitAnswering(agent, alice, { jid: bot });
  for (let i = 0; i < 200; i++) await alice.ask(bot, `warm ${i}`, `echo: warm ${i}`);

  const inspector = await Inspector.open(url);
  onCleanUp(() => Promise.resolve(inspector.close()));
  await inspector.call("Profiler.enable");
  await inspector.call("Profiler.setSamplingInterval", { interval: 100 });
  await inspector.call("Profiler.start");
  const started = performance.now();
  if (args.includes("--flood")) {
    const result = await flood(alice, { to: bot, count: messages });
    console.log(
      `flood: ${result.received} of ${result.sent} answered, in order: ${result.in_order}`,
    );
  } else {
    for (let i = 0; i < messages; i++) await alice.ask(bot, `round ${i}`, `echo: round ${i}`);
  }
  const elapsed = performance.now() - started;
  const { result } = await inspector.call("Profiler.stop");
  const profile = result?.profile;
  if (profile === undefined) throw new Error("The inspector returned no profile");
  if (json !== undefined) await Deno.writeTextFile(json, JSON.stringify(profile));

  const rows = selfTimes(profile, { root: new URL("../../", import.meta.url).href });
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  const areas = areaTimes(rows);
  const inspectorMs = areas.find(({ area }) => area === INSPECTOR_AREA)?.ms ?? 0;
  console.log(
    `${messages} round trips in ${(elapsed / 1000).toFixed(1)} s ` +
      `(${(elapsed / messages).toFixed(2)} ms each); agent CPU sampled ${total.toFixed(0)} ms, ` +
      `${(total / messages).toFixed(3)} ms per message, ` +
      `${((total - inspectorMs) / messages).toFixed(3)} without the inspector's own work\n`,
  );
  console.log("self ms   share  µs/msg  kind of work");
  for (const { area, ms } of areas) {
    console.log(
      `${ms.toFixed(1).padStart(7)}  ${(100 * ms / total).toFixed(1).padStart(5)}%  ` +
        `${(1000 * ms / messages).toFixed(0).padStart(6)}  ${area}`,
    );
  }
  console.log();
  console.log("self ms   share  function (file:line)");
  for (const row of rows.slice(0, top)) {
    console.log(
      `${row.ms.toFixed(1).padStart(7)}  ${(100 * row.ms / total).toFixed(1).padStart(5)}%  ` +
        `${row.name} (${row.where})`,
    );
  }
  return 0;
}

if (import.meta.main) {
  let code = 1;
  try {
    code = await main(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.stack : String(error));
  } finally {
    await cleanUp();
  }
  Deno.exit(code);
}
