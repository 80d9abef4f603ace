/**
 * Starts the agent for a benchmark: the real entry point under its derived permission flags
 * (through the test harness's `startAgent()`), a provider (anthropic by default) pointed at
 * the fake LLM, logging at `warn` so that log lines stay out of the measurement.
 *
 * @module
 */
import { type AgentProcess, startAgent } from "../../tests/support/agent_process.ts";
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { onCleanUp } from "./cleanup.ts";
import type { Driver } from "./driver.ts";
import { childPid } from "./proc_memory.ts";

/** Options of {@linkcode startBenchAgent}. */
export interface BenchAgentOptions {
  /** Base URL of the fake LLM. */
  llmUrl: string;
  /** Account of the agent (registered by the caller, password `botpass`). @default {"bot"} */
  user?: string;
  /** `[agent] allowed_jids`. @default {["*"]} (anyone on the agent's domain) */
  allowedJids?: string[];
  /** `[memory] path`; a directory the caller owns. */
  dataDir: string;
  /** `[log] level`. @default {"warn"} (keeps logging out of the measurement) */
  logLevel?: "debug" | "info" | "warn";
  /** The provider whose API (and SDK) the agent uses. @default {"anthropic"} */
  provider?: "anthropic" | "ollama" | "openai";
  /** More `deno run` flags (e.g. `--inspect` for the profiler). @default {[]} */
  extraFlags?: string[];
  /** TOML appended to the config, e.g. `[webhooks]` or `[[schedules]]`. @default {""} */
  extraToml?: string;
  /** Environment for the config's `${NAME}` references and the child. @default {{}} */
  env?: Record<string, string>;
  /** `[agent] stream_replies`. @default {the config's default} */
  streamReplies?: "paragraphs" | "corrections" | "off";
  /** `[llm] timeout_secs`. @default {30} */
  timeoutSecs?: number;
  /** What runs: the bundle `start` runs, or `main.ts`. @default {"bundle"} */
  entry?: "bundle" | "sources";
  /**
   * Connect as an XEP-0114 component of this domain (one of the Prosody's `extraComponents`;
   * people write to `anything@` it) instead of logging in as `user`. @default {undefined}
   */
  component?: string;
}

/** A running bench agent. */
export interface BenchAgent {
  readonly process: AgentProcess;
  /** Pid of the agent process itself (the `deno run` child). */
  readonly pid: number;
  /** Stops the agent (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Spawns the agent and returns as soon as the process exists (it is not online yet).
 *
 * @throws {Error} When the config is refused or the process cannot be found.
 */
export async function startBenchAgent(
  prosody: ProsodyHandle,
  options: BenchAgentOptions,
): Promise<BenchAgent> {
  const user = options.user ?? "bot";
  const provider = options.provider ?? "anthropic";
  // OpenAI-compatible servers take the base URL with its version path.
  const host = provider === "openai" ? `${options.llmUrl}/v1` : options.llmUrl;
  const connection = options.component === undefined
    ? `port = ${prosody.c2sPort}
jid = "${user}@${prosody.domain}"
password = "\${BOT_PASSWORD}"`
    : `mode = "component"
port = ${prosody.componentPort}
component_domain = "${options.component}"
component_secret = "${prosody.componentSecret}"`;
  const agent = await startAgent({
    prosody,
    llmUrl: options.llmUrl,
    waitOnline: false,
    extraFlags: options.extraFlags ?? [],
    env: options.env ?? {},
    ...(options.entry === undefined ? {} : { entry: options.entry }),
    configToml: `
[server]
host = "${prosody.host}"
${connection}

[llm]
default = "${provider}:bench-model"
timeout_secs = ${options.timeoutSecs ?? 30}
max_retries = 0

[llm.providers.${provider}]
api_key = "unused-by-the-fake"
host = "${host}"

[agent]
allowed_jids = ${JSON.stringify(options.allowedJids ?? ["*"])}
${options.streamReplies === undefined ? "" : `stream_replies = "${options.streamReplies}"`}

[memory]
path = "${options.dataDir}"

[log]
level = "${options.logLevel ?? "warn"}"
${options.extraToml ?? ""}`,
  });
  const stop = onCleanUp(() => agent.stop());
  const pid = await findChild(agent.configFile);
  if (pid === undefined) {
    // Gone already (a zombie has no command line): its output says why.
    const code = await Promise.race([agent.exited, sleep(1000).then(() => undefined)]);
    await stop();
    throw new Error(
      `Cannot find the agent process of "${agent.configFile}"` +
        (code === undefined ? "" : ` (it exited with ${code})`) +
        `:\n${agent.lines.events.join("\n")}`,
    );
  }
  return { process: agent, pid, stop };
}

/**
 * Waits until the agent answers `/ping` (which needs no LLM call), then drops stray pongs.
 *
 * @throws {Error} When it does not answer within `timeoutMs`, with the agent's output.
 */
export async function waitAnswering(
  agent: BenchAgent,
  driver: Driver,
  options: { jid: string; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    try {
      await driver.ask(options.jid, "/ping", "pong", 250);
      await new Promise((resolve) => setTimeout(resolve, 300));
      driver.drain();
      return;
    } catch {
      // Not online yet: the server bounced the message or the answer is still to come.
    }
  }
  const output = agent.process.lines.events.join("\n");
  throw new Error(`The agent did not answer /ping in time:\n${output}`);
}

/**
 * The child started with `configFile`. Until it has called exec, a child just forked still
 * shows this process's command line: on a busy machine that lasts, so look again a while.
 */
async function findChild(configFile: string): Promise<number | undefined> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const pid = childPid(configFile);
    if (pid !== undefined || Date.now() > deadline) return pid;
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
