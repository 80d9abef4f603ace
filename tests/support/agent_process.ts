/**
 * Runs the agent as a child process, the way a deployment does: `deno run` with exactly the
 * permission flags `main.ts permissions` derives from the config, and the entry point `start`
 * runs (the bundle of the sources, or `main.ts` itself when asked).
 *
 * @module
 */
import { agentBundle } from "../../src/build/mod.ts";
import { AGENT_V8_FLAGS, loadConfig } from "../../src/config/mod.ts";
import { agentPermissionFlags } from "../../src/skills/mod.ts";
import { endProcess } from "./end_process.ts";
import { EventBuffer } from "./event_buffer.ts";
import type { ProsodyHandle } from "./prosody.ts";

/** Options of {@linkcode startAgent}. */
export interface AgentProcessOptions {
  /** The test server: where the agent connects, and the certificate it is told to trust. */
  prosody: Pick<ProsodyHandle, "c2sPort"> & { certFile?: string };
  /** Base URL of the (fake) LLM. */
  llmUrl: string;
  /** LLM provider. @default {"anthropic"} */
  provider?: "anthropic" | "ollama";
  /** Agent account (registered by the caller). @default {"bot"} */
  user?: string;
  /** Agent password. @default {"botpass"} */
  password?: string;
  /** Allowed JIDs. @default {["alice@localhost"]} */
  allowedJids?: string[];
  /** Allowed domains. @default {the agent's own} */
  allowedDomains?: string[];
  /** Extra lines inside the `[agent]` table, e.g. `avatar = "…"`. @default {""} */
  agentToml?: string;
  /** Extra TOML appended to the config. @default {""} */
  extraToml?: string;
  /**
   * Anthropic prompt caching (`llm.prompt_cache`). Off by default here, so that the requests
   * tests read carry the system prompt and messages as plain strings. @default {false}
   */
  promptCache?: boolean;
  /** Extra lines of the `[llm]` table (budgets, …). @default {""} */
  llmToml?: string;
  /** Extra environment, for deriving the flags and for the child. @default {{}} */
  env?: Record<string, string>;
  /** Environment for the child only, overriding `env` after the flags are derived. @default {{}} */
  runEnv?: Record<string, string>;
  /** Set `server.allow_plaintext = true`. @default {false} */
  plaintext?: boolean;
  /**
   * The `/etc/resolv.conf` the agent alone sees: it then runs in its own mount namespace
   * (`unshare --mount`, which needs root) with this file bound over the system's, so the
   * system resolver can be pointed at a test name server.
   * @default {the system's}
   */
  resolvConf?: string;
  /** Replaces the config file entirely (the other options are then ignored). */
  configToml?: string;
  /** Wait for the agent to be online. @default {true} */
  waitOnline?: boolean;
  /** Data directory; a fresh temp dir by default. */
  dataDir?: string;
  /**
   * The agent's working directory, where its config is written (and its `./.env` read);
   * the caller creates and removes it. A fresh temp dir, removed on stop, by default.
   */
  dir?: string;
  /** Extra flags for `deno run`, after the derived permission flags. @default {[]} */
  extraFlags?: string[];
  /** The port the agent connects to (a proxy in front of the server). @default {prosody.c2sPort} */
  serverPort?: number;
  /**
   * What runs: the bundle `start` runs, or `main.ts` and the modules it imports.
   * @default {"bundle"}
   */
  entry?: "bundle" | "sources";
}

/** A running agent process. */
export interface AgentProcess extends AsyncDisposable {
  /** The config file. */
  readonly configFile: string;
  /** The memory directory. */
  readonly dataDir: string;
  /** The flags it was started with. */
  readonly flags: string[];
  /** Its process id (to look at or limit the running process, e.g. with `prlimit`). */
  readonly pid: number;
  /** Every log line so far (stderr and stdout). */
  readonly lines: EventBuffer<string>;
  /** Waits for a log line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number>;
  /** Kills it at once (SIGKILL: no clean-up of any kind), as a crash or an OOM killer does. */
  kill(): Promise<number>;
  /** Resolves with the exit code when the process ends by itself. */
  readonly exited: Promise<number>;
}

const MAIN = decodeURIComponent(new URL("../../main.ts", import.meta.url).pathname);

let bundled: Promise<string> | undefined;

/**
 * The bundle's entry point, built by the first test that needs it (as `start` would) and
 * looked up once a test run: the sources do not change under it.
 */
function bundleEntry(): Promise<string> {
  return bundled ??= agentBundle({ v8Flags: AGENT_V8_FLAGS }).then((bundle) => {
    if (!bundle.ok) throw new Error(`No bundle of the agent to run: ${bundle.reason}`);
    return bundle.entry;
  });
}

/**
 * Deno's cache folder, passed on explicitly: the agent gets the test's temporary folder as its
 * HOME (so that no developer's `~/.fluux-agent/.env` or credentials reach a test), and Deno
 * would otherwise look for its packages under it.
 */
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

/** Writes a config and starts the agent; waits until it is online. */
export async function startAgent(options: AgentProcessOptions): Promise<AgentProcess> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "fluux-agent-test-" });
  const dataDir = options.dataDir ?? `${dir}/memory`;
  const configFile = `${dir}/agent.toml`;
  await Deno.writeTextFile(configFile, options.configToml ?? agentConfigToml(options, dataDir));
  // The working directory and HOME are the test's own folder: no developer's `./.env` or
  // `~/.fluux-agent/.env` is read.
  const env: Record<string, string> = {
    BOT_PASSWORD: options.password ?? "botpass",
    HOME: dir,
    DENO_DIR,
    ...options.env,
  };
  const loaded = await loadConfig(configFile, {
    env: (name) => env[name] ?? Deno.env.get(name),
    cwd: dir,
    home: env.HOME ?? dir,
  });
  const flags = [
    ...await agentPermissionFlags(loaded, { denoPath: Deno.execPath(), home: env.HOME ?? dir }),
    ...(options.extraFlags ?? []),
  ];
  const launch = await launcher(options.resolvConf, dir);
  const child = new Deno.Command(launch.program, {
    args: launch.args([
      "run",
      ...flags,
      ...(options.prosody.certFile === undefined ? [] : ["--cert", options.prosody.certFile]),
      options.entry === "sources" ? MAIN : await bundleEntry(),
      "run",
      "--config",
      configFile,
    ]),
    // A test may give the agent its own HOME: Deno's cache stays the one the tests use (the
    // agent runs with --cached-only and would not find its packages under that HOME).
    env: { DENO_DIR, ...env, ...options.runEnv },
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = new EventBuffer<string>((line) => line);
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let carry = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (carry + chunk).split("\n");
      carry = parts.pop() ?? "";
      for (const line of parts) lines.push(line);
    }
    if (carry) lines.push(carry);
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const exited = child.status.then(async (status) => {
    await pumps;
    return status.code;
  });
  let stopped = false;
  const end = async (first: Deno.Signal) => {
    const signal = stopped ? undefined : first;
    stopped = true;
    await endProcess(child, signal === undefined ? {} : { signal });
    const code = await exited;
    if (options.dir === undefined) await Deno.remove(dir, { recursive: true }).catch(() => {});
    return code;
  };
  const stop = () => end("SIGTERM");
  const agent: AgentProcess = {
    configFile,
    dataDir,
    flags,
    pid: child.pid,
    lines,
    exited,
    waitForLog: (pattern, timeoutMs = 15_000) =>
      lines.waitFor((line) => pattern.test(line), { timeoutMs, description: String(pattern) }),
    stop,
    kill: () => end("SIGKILL"),
    [Symbol.asyncDispose]: async () => void await stop(),
  };
  if (options.waitOnline ?? true) {
    try {
      await Promise.race([
        agent.waitForLog(/Online as/),
        exited.then((code) => {
          throw new Error(`Agent exited with ${code}:\n${lines.events.join("\n")}`);
        }),
      ]);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return agent;
}

/**
 * How the agent is started: `deno` itself, or — with a `resolvConf` — `unshare` running it
 * with `/etc/resolv.conf` replaced by that text.
 */
async function launcher(resolvConf: string | undefined, dir: string) {
  if (resolvConf === undefined) {
    return { program: Deno.execPath(), args: (args: string[]) => args };
  }
  const file = `${dir}/resolv.conf`;
  await Deno.writeTextFile(file, resolvConf);
  // The mount is private to the new namespace (unshare's default propagation), and `exec`
  // keeps the agent's process id the one the test stops.
  const script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"';
  return {
    program: "unshare",
    args: (args: string[]) => ["--mount", "--", "sh", "-c", script, file, Deno.execPath(), ...args],
  };
}

/**
 * The config {@linkcode startAgent} writes for these options, for tests that run the agent
 * another way (through `deno task start`, or with flags they derive themselves).
 */
export function agentConfigToml(options: AgentProcessOptions, dataDir: string): string {
  const provider = options.provider ?? "anthropic";
  const allowed = JSON.stringify(options.allowedJids ?? ["alice@localhost"]);
  return `
[server]
host = "127.0.0.1"
port = ${options.serverPort ?? options.prosody.c2sPort}
jid = "${options.user ?? "bot"}@localhost"
password = "\${BOT_PASSWORD}"
allow_plaintext = ${options.plaintext ?? false}

[llm]
provider = "${provider}"
model = "test-model"
${provider === "anthropic" ? 'api_key = "test-key"' : ""}
host = "${options.llmUrl}"
timeout_secs = 10
max_retries = 0
prompt_cache = ${options.promptCache ?? false}
# The fake's model, declared as a deployment declares one the agent does not know.
context_windows = { "${provider}:test-model" = 200000 }
${options.llmToml ?? ""}

[agent]
allowed_jids = ${allowed}
${
    options.allowedDomains === undefined
      ? ""
      : `allowed_domains = ${JSON.stringify(options.allowedDomains)}`
  }
${options.agentToml ?? ""}

[memory]
path = "${dataDir}"

[log]
level = "debug"

${options.extraToml ?? ""}
`;
}
