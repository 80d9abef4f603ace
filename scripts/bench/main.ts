/**
 * `deno task bench`: measures what the agent adds to every answer, against the physical floor
 * on the same machine, in one run. See `--help`.
 *
 * Everything runs on loopback: a throwaway Prosody (Nagle off), the fake LLM in this
 * process, the agent as a child under its derived permissions, the floor bot as a child,
 * and the driver users in this process. Every process started is stopped at the end, on
 * failure and on Ctrl-C.
 *
 * TLS: the driver users run in this process, and the server certificate is made after it
 * started, so `--cert` cannot name it; this process therefore sets
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` for itself (the drivers only talk to the loopback server
 * it started). The agent and the floor bot are children started with `--cert` and verify.
 *
 * @module
 */
import { connectBenchUser } from "./bench_user.ts";
import { printFigures, runBenchMode } from "./print_figures.ts";
import { startFakeLlm } from "../../tests/support/fake_llm.ts";
import { modelLikeNotes } from "./model_like_notes.ts";
import { type ProsodyHandle, startProsody } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import { onCleanUp } from "./cleanup.ts";
import { concurrentUsers } from "./concurrent_users.ts";
import { Driver } from "./driver.ts";
import { flood } from "./flood.ts";
import { startFloorBot } from "./floor_bot_process.ts";
import { writeHistory } from "./history_fixture.ts";
import { outsideEvents, outsideEventSizes } from "./outside_events.ts";
import { agentModules, importBaseline } from "./import_baseline_process.ts";
import { procMemory, prosodyPid } from "./proc_memory.ts";
import { cpuSnapshot, cpuUsage } from "./cpu_usage.ts";
import { type BenchReport, formatReport, type PeerFigures } from "./report.ts";
import { interleavedRoundTrips } from "./round_trips.ts";
import { startRustPeer, waitPeerAnswering } from "./rust_peer.ts";
import { receiptsPhase } from "./receipts_phase.ts";
import { BENCH_COMPONENT_DOMAIN, componentPhase, writesPhase } from "./wire_phases.ts";
import { measureStartUp } from "./start_up.ts";
import { summarize } from "./stats.ts";
import { formatSearchFigures, searchBench } from "./search_bench.ts";
import { contextBench, formatContextFigures } from "./context_bench.ts";
import { runStreamBench, STREAM_PROVIDERS, type StreamProvider } from "./streaming.ts";
import { runSoak } from "./soak.ts";
import { formatIdleFigures, idleMemory } from "./idle_memory.ts";

const HELP = `Usage: deno task bench [--quick] [--json FILE] [--peer BINARY]
                       [--search|--context|--stream [--provider NAME]|--idle|--soak [MIN]]

Measures the Fluux Agent against a bare bot on the same machine (a throwaway Prosody on
loopback, a local fake LLM) and prints a table of figures with their targets:
  1. reply overhead: sequential round trips, agent vs the floor bot (instant LLM); then,
     in one more run, the floor, a bare bot that also sends <composing/> and uses the
     Anthropic SDK, and the agent: what any bot doing those two things pays, and what the
     agent adds on top; then the floor and three agents, one per provider (anthropic,
     ollama, openai), each through its own SDK and wire format; then the floor and two
     bare bots with <composing/>, one writing it before asking, one in the answer's write
     (two writes vs one); then the floor and the agent as a client and as an XEP-0114
     component; and, interleaved, plain messages vs ones asking for receipts and markers:
     agent p50 and the stanzas it writes per round trip, in all and before the answer
  2. long history: round trips with a 200-entry vs a 100,000-entry session on disk (both
     longer than what the LLM sees: only the size of the file differs)
  3. concurrent users: many users at once against an LLM taking 200 ms per call
  4. start-up to visible presence, and peak RSS idle / after the concurrent run
  5. flood: one user sends messages as fast as possible; all answered, in order
  6. events from outside XMPP, through an agent to a person's XMPP client: a signed webhook
     from its POST (and from its 202) to the message, in notify mode and in agent mode,
     one at a time beside chat round trips to the same agent; then deliveries a second
     from 200 concurrent senders, every one counted at the client; then how late the
     messages of an every-1s schedule arrive after their due time (on a Prosody of their
     own, without mam: its file archive would be what is measured)

Options:
  --quick       Fewer iterations: a smoke run in under a minute (rough figures)
  --json FILE   Also write every figure to FILE as one JSON object
  --peer BINARY Also compare with the Rust Fluux Agent (github.com/processone/fluux-agent),
                built with TCP_NODELAY on its socket: BINARY runs as an XEP-0114 component on
                the bench's Prosody, its Ollama provider on the fake LLM; one more run
                interleaves the floor, that peer and the agent (as many messages as the
                overhead run): peer p50, peer / floor, agent / peer
  --search      Measure memory search instead (no Prosody): index build, query p50/p99,
                keyword recall@5 and index size at 10k and 100k chunks (--quick: 2k and 10k)
  --context     Measure the context instead (no Prosody): prompt-cache share over 20 turns and
                over 100 compacting turns, input tokens per turn with and without
                compaction, the time of a compaction (--quick: 50 turns)
  --stream      Measure streamed answers instead: time to the first visible text and to the
                whole answer, per stream_replies mode, for a 2,000-token answer at 50
                tokens/s (--quick: one answer per mode instead of three); with --provider
                NAME, through that provider's SDK and wire format (anthropic, the default;
                ollama; openai)
  --idle        Only start-up and idle memory: rounds of timed starts of the agent, its peak RSS
                once idle and that of a bare Deno process importing the same third-party
                modules, alternating (5 rounds; --quick: 2); then the first use of each part
                loaded only when needed (providers, webhooks, search, component), in about a
                minute
  --soak [MIN]  Soak instead: 10 messages/s from 5 users for MIN minutes (default 30; --quick:
                2), the agent's RSS and heap sampled every 30 s; start/end/peak RSS, the slope
                over the second half, messages answered and lost. Not for CI
  --provider NAME
                With --stream: the agents' provider (see --stream)
  -h, --help    Show this text

Needs prosody, prosodyctl and openssl on PATH (sh scripts/ensure_test_deps.sh installs them).
The server certificate is made at run time, so the driver users (in this process) skip TLS
verification (NODE_TLS_REJECT_UNAUTHORIZED=0, loopback only); the agent and the floor bot are
children that verify it with --cert.
Exit code: 0 when the run completed (targets missed or not), 1 when it failed, 2 on bad usage.`;

interface Args {
  quick: boolean;
  json: string | undefined;
  search: boolean;
  context: boolean;
  stream: boolean;
  idle: boolean;
  /** `--soak`: its minutes (`0` when given without a number: the default for the run). */
  soak: number | undefined;
  /** `--peer`: the Rust agent's executable. */
  peer: string | undefined;
  /** `--provider`: the agents' provider in `--stream`. */
  provider: StreamProvider;
}

function parseArgs(args: string[]): Args | string {
  const parsed: Args = {
    quick: false,
    json: undefined,
    search: false,
    context: false,
    stream: false,
    idle: false,
    soak: undefined,
    peer: undefined,
    provider: "anthropic",
  };
  let providerGiven = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--quick") parsed.quick = true;
    else if (arg === "--search") parsed.search = true;
    else if (arg === "--context") parsed.context = true;
    else if (arg === "--stream") parsed.stream = true;
    else if (arg === "--idle") parsed.idle = true;
    else if (arg === "--soak") {
      const minutes = args[i + 1];
      parsed.soak = 0;
      if (minutes !== undefined && !minutes.startsWith("-")) {
        parsed.soak = Number(minutes);
        i++;
        if (!(parsed.soak > 0)) return `--soak takes a number of minutes, got "${minutes}"`;
      }
    } else if (arg === "--json") {
      const file = args[++i];
      if (file === undefined || file.startsWith("-")) return "--json needs a file name";
      parsed.json = file;
    } else if (arg?.startsWith("--json=")) parsed.json = arg.slice("--json=".length);
    else if (arg === "--peer") {
      const binary = args[++i];
      if (binary === undefined || binary.startsWith("-")) return "--peer needs an executable";
      parsed.peer = binary;
    } else if (arg?.startsWith("--peer=")) parsed.peer = arg.slice("--peer=".length);
    else if (arg === "--provider" || arg?.startsWith("--provider=")) {
      const name = arg === "--provider" ? args[++i] : arg.slice("--provider=".length);
      if (!STREAM_PROVIDERS.includes(name as StreamProvider)) {
        return `--provider takes one of ${STREAM_PROVIDERS.join(", ")}, got "${name ?? ""}"`;
      }
      parsed.provider = name as StreamProvider;
      providerGiven = true;
    } else return `Unknown argument "${arg}"`;
  }
  // The other runs compare the providers among themselves already; only --stream takes one.
  if (providerGiven && !parsed.stream) return "--provider goes with --stream";
  return parsed;
}

function sizes(quick: boolean) {
  return {
    overhead_messages: quick ? 50 : 500,
    warm_up_messages: 20,
    history_messages: quick ? 30 : 200,
    // More than the history a turn shows (100 messages at most), so both send the same window.
    history_short_entries: 200,
    history_long_entries: 100_000,
    concurrent_users: quick ? 10 : 50,
    concurrent_messages: quick ? 5 : 20,
    concurrent_llm_delay_ms: 200,
    startup_runs: quick ? 1 : 3,
    flood_messages: quick ? 200 : 2000,
    ...outsideEventSizes(quick),
  };
}

function progress(text: string): void {
  console.error(`[bench] ${text}`);
}

async function connectAll(prosody: ProsodyHandle, users: string[]): Promise<Driver[]> {
  const drivers: Driver[] = [];
  // Logins are CPU-bound (SCRAM) on both sides: a few at a time.
  for (let i = 0; i < users.length; i += 10) {
    const batch = await Promise.all(
      users.slice(i, i + 10).map(async (user) => {
        const driver = await connectBenchUser(prosody, user);
        return driver;
      }),
    );
    drivers.push(...batch);
  }
  return drivers;
}

async function machine(): Promise<BenchReport["machine"]> {
  const read = (path: string) => Deno.readTextFile(path).catch(() => "");
  const os = (await read("/etc/os-release")).match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1];
  const cpu = (await read("/proc/cpuinfo")).match(/^model name\s*:\s*(.*)$/m)?.[1];
  return {
    cpus: navigator.hardwareConcurrency,
    os: os ?? Deno.build.os,
    cpu_model: cpu?.trim() ?? "unknown CPU",
    deno: Deno.version.deno,
  };
}

async function run(args: Args): Promise<BenchReport> {
  const size = sizes(args.quick);
  Deno.env.set("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  progress("starting Prosody and the fake LLM");
  // Debian's default modules, but not its 10 kb/s per-client limit: the flood and the
  // concurrent users would measure the throttle, not the agent.
  const prosody = await startProsody({
    disabledModules: ["limits"],
    extraComponents: [BENCH_COMPONENT_DOMAIN],
  });
  onCleanUp(() => prosody.stop());
  const llm = await startFakeLlm({ record: false });
  llm.script(modelLikeNotes);
  onCleanUp(() => llm.close());
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-bench-" });
  onCleanUp(() => Deno.remove(dataDir, { recursive: true }));
  const bot = `bot@${prosody.domain}`;
  const floor = `floor@${prosody.domain}`;
  const required = `required@${prosody.domain}`;
  const crowd = Array.from({ length: size.concurrent_users }, (_, i) => `user${i}`);
  const humans = ["alice", "short", "long", "flooder", "carol", ...crowd];
  for (const name of ["bot", "starter", "bot-ollama", "bot-openai"]) {
    await prosody.register(name, "botpass");
  }
  const accounts = ["floor", "required", ...humans];
  for (let i = 0; i < accounts.length; i += 10) {
    await Promise.all(accounts.slice(i, i + 10).map((name) => prosody.register(name, name)));
  }
  await writeHistory(`${dataDir}/main`, `short@${prosody.domain}`, size.history_short_entries);
  await writeHistory(`${dataDir}/main`, `long@${prosody.domain}`, size.history_long_entries);
  const [alice, short, long, flooder, carol] = await connectAll(prosody, humans.slice(0, 5)) as [
    Driver,
    Driver,
    Driver,
    Driver,
    Driver,
  ];

  progress(`start-up: ${size.startup_runs} timed start(s)`);
  const startUp = await measureStartUp(prosody, {
    llmUrl: llm.url,
    contact: carol,
    agentUser: "starter",
    dataDir: `${dataDir}/starter`,
    runs: size.startup_runs,
  });

  progress("memory baseline: a bare Deno process importing the same third-party modules");
  const baseline = await importBaseline(agentModules("anthropic"));
  const bundledBaseline = await importBaseline(agentModules("anthropic"), { bundled: true });

  progress("starting the agent and the floor bot");
  const agent = await startBenchAgent(prosody, { llmUrl: llm.url, dataDir: `${dataDir}/main` });
  await startFloorBot(prosody, { user: "floor", llmUrl: llm.url });
  await startFloorBot(prosody, { user: "required", llmUrl: llm.url, composing: true, sdk: true });
  await waitAnswering(agent, alice, { jid: bot });
  const onOllama = await startBenchAgent(prosody, {
    llmUrl: llm.url,
    dataDir: `${dataDir}/ollama`,
    user: "bot-ollama",
    provider: "ollama",
  });
  const onOpenAi = await startBenchAgent(prosody, {
    llmUrl: llm.url,
    dataDir: `${dataDir}/openai`,
    user: "bot-openai",
    provider: "openai",
  });
  const botOllama = `bot-ollama@${prosody.domain}`;
  const botOpenAi = `bot-openai@${prosody.domain}`;
  await waitAnswering(onOllama, alice, { jid: botOllama });
  await waitAnswering(onOpenAi, alice, { jid: botOpenAi });

  progress(`reply overhead: ${size.overhead_messages} messages each to the floor and the agent`);
  const [floorTimes, agentTimes] = await interleavedRoundTrips(
    [{ driver: alice, to: floor }, { driver: alice, to: bot }],
    { count: size.overhead_messages, warmUp: size.warm_up_messages, label: "overhead" },
  ) as [number[], number[]];

  progress(
    `reply overhead: ${size.overhead_messages} messages each to the floor, a bot with ` +
      "typing and the SDK, and the agent",
  );
  const [floorTimes2, requiredTimes, agentTimes2] = await interleavedRoundTrips(
    [{ driver: alice, to: floor }, { driver: alice, to: required }, { driver: alice, to: bot }],
    { count: size.overhead_messages, warmUp: size.warm_up_messages, label: "required" },
  ) as [number[], number[], number[]];

  progress(
    `providers: ${size.overhead_messages} messages each to the floor and the agent on ` +
      "anthropic, ollama and openai",
  );
  const [floorTimes3, anthropicTimes, ollamaTimes, openAiTimes] = await interleavedRoundTrips(
    [
      { driver: alice, to: floor },
      { driver: alice, to: bot },
      { driver: alice, to: botOllama },
      { driver: alice, to: botOpenAi },
    ],
    { count: size.overhead_messages, warmUp: size.warm_up_messages, label: "providers" },
  ) as [number[], number[], number[], number[]];
  await onOllama.stop();
  await onOpenAi.stop();

  progress(
    `<composing/>: ${size.overhead_messages} messages each to the floor and two bots that ` +
      "write it before asking and with the answer",
  );
  const wire = { driver: alice, floor, llmUrl: llm.url, warmUp: size.warm_up_messages };
  const writes = await writesPhase(prosody, { ...wire, count: size.overhead_messages });
  progress(
    `connection: ${size.overhead_messages} messages each to the floor and the agent as a ` +
      "client and as a component",
  );
  const component = await componentPhase(prosody, {
    ...wire,
    count: size.overhead_messages,
    bot,
    dataDir: `${dataDir}/component`,
  });

  const peer = args.peer === undefined ? undefined : await peerRun(prosody, alice, {
    binary: args.peer,
    llmUrl: llm.url,
    dataDir,
    bot,
    floor,
    count: size.overhead_messages,
    warmUp: size.warm_up_messages,
  });

  progress(`receipts and markers: ${size.overhead_messages} messages each with and without`);
  const receipts = await receiptsPhase(prosody, {
    to: bot,
    count: size.overhead_messages,
    warmUp: size.warm_up_messages,
  });

  progress(`long history: ${size.history_messages} messages each`);
  const [shortTimes, longTimes] = await interleavedRoundTrips(
    [{ driver: short, to: bot }, { driver: long, to: bot }],
    { count: size.history_messages, warmUp: size.warm_up_messages, label: "history" },
  ) as [number[], number[]];

  progress(`concurrent users: logging in ${crowd.length} users`);
  const drivers = await connectAll(prosody, crowd);
  const beforeBurst = procMemory(agent.pid);
  llm.setDelay(size.concurrent_llm_delay_ms);
  progress(`concurrent users: ${crowd.length} × ${size.concurrent_messages} messages`);
  const concurrent = await concurrentUsers(drivers, {
    to: bot,
    messages: size.concurrent_messages,
  });
  const loaded = procMemory(agent.pid);
  llm.setDelay(0);
  await Promise.all(drivers.map((driver) => driver.close()));

  progress(`flood: ${size.flood_messages} messages from one user`);
  const floodCpuBefore = cpuSnapshot({ agent: agent.pid, prosody: prosodyPid(prosody) });
  const flooded = await flood(flooder, { to: bot, count: size.flood_messages });
  const floodCpu = cpuUsage(
    floodCpuBefore,
    cpuSnapshot({ agent: agent.pid, prosody: prosodyPid(prosody) }),
  );

  progress("events from outside XMPP: webhooks and a schedule, on a Prosody of their own");
  const outside = await outsideEvents({ llmUrl: llm.url, dataDir, sizes: size, progress });

  const floorS = summarize(floorTimes);
  const agentS = summarize(agentTimes);
  const requiredS = summarize(requiredTimes);
  const requiredFloorS = summarize(floorTimes2);
  const requiredAgentS = summarize(agentTimes2);
  const providerFloorS = summarize(floorTimes3);
  const byProvider = {
    anthropic: summarize(anthropicTimes).p50,
    ollama: summarize(ollamaTimes).p50,
    openai: summarize(openAiTimes).p50,
  };
  const shortS = summarize(shortTimes);
  const longS = summarize(longTimes);
  const crowdS = summarize(concurrent.times);
  const ideal = size.concurrent_messages * size.concurrent_llm_delay_ms;
  return {
    overhead_ratio: agentS.p50 / floorS.p50,
    overhead_p50_ms: agentS.p50,
    overhead_p99_ms: agentS.p99,
    echo_p50_ms: floorS.p50,
    echo_p99_ms: floorS.p99,
    required_p50_ms: requiredS.p50,
    required_floor_p50_ms: requiredFloorS.p50,
    required_agent_p50_ms: requiredAgentS.p50,
    required_ratio: requiredS.p50 / requiredFloorS.p50,
    own_ratio: requiredAgentS.p50 / requiredS.p50,
    provider_floor_p50_ms: providerFloorS.p50,
    anthropic_p50_ms: byProvider.anthropic,
    ollama_p50_ms: byProvider.ollama,
    openai_p50_ms: byProvider.openai,
    anthropic_ratio: byProvider.anthropic / providerFloorS.p50,
    ollama_ratio: byProvider.ollama / providerFloorS.p50,
    openai_ratio: byProvider.openai / providerFloorS.p50,
    ...writes,
    ...component,
    ...peer,
    concurrent_ratio: concurrent.total_ms / ideal,
    concurrent_total_ms: concurrent.total_ms,
    concurrent_ideal_ms: ideal,
    concurrent_msgs_per_sec: concurrent.times.length / (concurrent.total_ms / 1000),
    concurrent_p50_ms: crowdS.p50,
    concurrent_p99_ms: crowdS.p99,
    long_history_ratio: longS.p50 / shortS.p50,
    history_short_p50_ms: shortS.p50,
    history_long_p50_ms: longS.p50,
    startup_ms: summarize(startUp.times).p50,
    idle_rss_mb: startUp.idle.peak_mb,
    baseline_rss_mb: baseline.peak_mb,
    idle_rss_ratio: startUp.idle.peak_mb / baseline.peak_mb,
    bundled_baseline_rss_mb: bundledBaseline.peak_mb,
    idle_rss_ratio_bundled: startUp.idle.peak_mb / bundledBaseline.peak_mb,
    loaded_rss_mb: loaded.peak_mb,
    loaded_rss_ratio: loaded.peak_mb / startUp.idle.peak_mb,
    before_burst_rss_mb: beforeBurst.rss_mb,
    burst_rss_ratio: loaded.peak_mb / beforeBurst.rss_mb,
    flood_lost: flooded.lost,
    flood_in_order: flooded.in_order,
    flood_secs: flooded.secs,
    flood_msgs_per_sec: flooded.sent / flooded.secs,
    flood_cpu_agent: floodCpu.cores.agent ?? 0,
    flood_cpu_prosody: floodCpu.cores.prosody ?? 0,
    ...outside,
    ...receipts,
    quick: args.quick,
    sizes: size,
    machine: await machine(),
    date: new Date().toISOString(),
  };
}

/**
 * `--peer`: starts the Rust agent as a component, then the floor, it and the agent in turn,
 * as many messages as the overhead run; stops it.
 */
async function peerRun(
  prosody: ProsodyHandle,
  driver: Driver,
  options: {
    binary: string;
    llmUrl: string;
    dataDir: string;
    bot: string;
    floor: string;
    count: number;
    warmUp: number;
  },
): Promise<PeerFigures> {
  const { count, warmUp } = options;
  progress(`Rust peer: starting ${options.binary}`);
  const peer = await startRustPeer(prosody, { ...options, dataDir: `${options.dataDir}/peer` });
  try {
    await waitPeerAnswering(peer, driver);
    progress(`Rust peer: ${count} messages each to the floor, the Rust peer and the agent`);
    const [floorTimes, peerTimes, agentTimes] = await interleavedRoundTrips(
      [{ driver, to: options.floor }, { driver, to: peer.jid }, { driver, to: options.bot }],
      { count, warmUp, label: "peer" },
    ) as [number[], number[], number[]];
    const floor = summarize(floorTimes).p50;
    const rust = summarize(peerTimes).p50;
    const agent = summarize(agentTimes).p50;
    return {
      peer_floor_p50_ms: floor,
      peer_p50_ms: rust,
      peer_agent_p50_ms: agent,
      peer_ratio: rust / floor,
      peer_agent_ratio: agent / floor,
      agent_to_peer_ratio: agent / rust,
    };
  } finally {
    await peer.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`bench: ${args}\n\n${HELP}`);
    return 2;
  }
  const started = performance.now();
  if (args.search) return await runSearchBench(args, started);
  if (args.context) return await runContextBench(args, started);
  if (args.stream) return await runStreamBench(args);
  if (args.idle) {
    const rounds = args.quick ? 2 : 5;
    return await runBenchMode(() => idleMemory({ rounds, progress }), formatIdleFigures, {
      json: args.json,
      started,
    });
  }
  if (args.soak !== undefined) {
    return await runSoak({ ...args, minutes: args.soak || (args.quick ? 2 : 30) });
  }
  return await runBenchMode(() => run(args), formatReport, {
    json: args.json,
    started,
    stopping: () => progress("stopping every process started"),
  });
}

/** `--search`: the memory search figures (see `search_bench.ts`). */
async function runSearchBench(args: Args, started: number): Promise<number> {
  const figures = await searchBench({
    sizes: args.quick ? [2_000, 10_000] : [10_000, 100_000],
    queries: args.quick ? 50 : 300,
    hybrid: true,
  });
  await printFigures(formatSearchFigures(figures), figures, { started, json: args.json });
  return 0;
}

/** `--context`: the context figures (see `context_bench.ts`). */
async function runContextBench(args: Args, started: number): Promise<number> {
  const figures = await contextBench({ quick: args.quick });
  await printFigures(formatContextFigures(figures, args.quick ? 50 : 100), figures, {
    started,
    json: args.json,
  });
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
