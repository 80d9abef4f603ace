/**
 * The process side of a test ejabberd: spawning, waiting until it serves, the HTTP API,
 * stopping and restarting. Everything a handle needs lives in `dir/state.json`, so a test
 * file other than the one that started the server can drive it (see shared_ejabberd.ts).
 *
 * @module
 */

import type { EjabberdHandle } from "./ejabberd.ts";
import { ejabberdCommand, type ErlangInstall, findErlangInstall } from "./ejabberd_launch.ts";
import { accepts, answersStream, LOOPBACK, processAlive, signalPid, sleep } from "./loopback.ts";
import { TEST_COMPONENT_DOMAIN, TEST_DOMAIN, TEST_MUC_DOMAIN } from "./xmpp_server.ts";

/** What `dir/state.json` holds: the server's coordinates and its current OS process. */
export interface EjabberdState {
  c2sPort: number;
  componentPort: number;
  httpPort: number;
  componentSecret: string;
  tls: boolean;
  certFile: string;
  keyFile: string;
  configFile: string;
  dir: string;
  startTimeoutMs: number;
  /** The Erlang VM (`beam.smp`); 0 before the first start. */
  pid: number;
}

const live = new Set<EjabberdServer>();
let unloadHooked = false;
let install: Promise<ErlangInstall> | undefined;

/** A test ejabberd driven through its pid and HTTP API. */
export class EjabberdServer implements EjabberdHandle {
  readonly domain = TEST_DOMAIN;
  readonly host = LOOPBACK;
  readonly mucDomain = TEST_MUC_DOMAIN;
  readonly componentDomain = TEST_COMPONENT_DOMAIN;
  readonly c2sPort: number;
  readonly componentPort: number;
  readonly httpPort: number;
  readonly componentSecret: string;
  readonly tls: boolean;
  readonly certFile: string;
  readonly keyFile: string;
  readonly configFile: string;
  readonly dir: string;
  #startTimeoutMs: number;
  #shared: boolean;
  #stopped = false;

  /**
   * @param state Coordinates of the server (its pid is re-read from `dir/state.json`).
   * @param shared A shared server outlives test files: `stop()` leaves it running.
   */
  constructor(state: EjabberdState, shared: boolean) {
    this.c2sPort = state.c2sPort;
    this.componentPort = state.componentPort;
    this.httpPort = state.httpPort;
    this.componentSecret = state.componentSecret;
    this.tls = state.tls;
    this.certFile = state.certFile;
    this.keyFile = state.keyFile;
    this.configFile = state.configFile;
    this.dir = state.dir;
    this.#startTimeoutMs = state.startTimeoutMs;
    this.#shared = shared;
  }

  get #stateFile(): string {
    return `${this.dir}/state.json`;
  }

  /** Reads the state file of the server in `dir`, or `undefined` when there is none. */
  static async readState(dir: string): Promise<EjabberdState | undefined> {
    try {
      return JSON.parse(await Deno.readTextFile(`${dir}/state.json`)) as EjabberdState;
    } catch {
      return undefined;
    }
  }

  /** Spawns the VM, records its pid, waits until API, c2s and component ports serve. */
  async start(): Promise<void> {
    if (!this.#shared) hookUnload(this);
    install ??= findErlangInstall();
    install.catch(() => install = undefined);
    const command = ejabberdCommand({
      dir: this.dir,
      configFile: this.configFile,
      ownerPid: Deno.pid,
      install: await install,
      path: Deno.env.get("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin",
    });
    const child = new Deno.Command(command.program, {
      args: command.args,
      env: command.env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    // The server may outlive this test file (shared) and is stopped by pid, not by handle.
    child.unref();
    let exited = false;
    child.status.then(() => exited = true);
    await Deno.writeTextFile(this.#stateFile, JSON.stringify(this.#state(child.pid)));
    const deadline = Date.now() + this.#startTimeoutMs;
    // Each check loads code the others do not: run them side by side.
    const until = async (check: () => Promise<boolean>) => {
      while (!(await check())) {
        if (exited || Date.now() > deadline) return false;
        await sleep(20);
      }
      return true;
    };
    const ready = await Promise.all([
      until(() => this.api("status").then(() => true, () => false)),
      until(() => answersStream(this.c2sPort, this.domain)),
      until(() => accepts(this.componentPort)),
    ]);
    if (!ready.every(Boolean)) {
      const why = exited ? "exited" : "did not start in time";
      signalPid(child.pid, "SIGKILL");
      throw new Error(`ejabberd ${why}:\n${await this.logs()}`);
    }
  }

  async api(command: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const response = await fetch(`http://${LOOPBACK}:${this.httpPort}/api/${command}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(args),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Plain text answer.
    }
    if (!response.ok) {
      const message = (body as { message?: unknown })?.message ?? text;
      throw new Error(`ejabberd API "${command}" failed (${response.status}): ${message}`);
    }
    return body;
  }

  async register(user: string, password: string, domain = this.domain): Promise<void> {
    try {
      await this.api("register", { user, host: domain, password });
    } catch (error) {
      const why = (error as Error).message.replace(/^ejabberd API "register" failed /, "");
      throw new Error(`Cannot register "${user}@${domain}": ${why}`);
    }
  }

  /** SIGTERM, wait for the VM to exit (Mnesia closes its files), start again on the same ports. */
  async restart(): Promise<void> {
    const pid = await this.#pid();
    if (pid !== 0) {
      signalPid(pid, "SIGTERM");
      // ejabberd itself stops in milliseconds; the Erlang VM then takes about a second to exit.
      if (!(await waitForExit(pid, 10_000))) {
        signalPid(pid, "SIGKILL");
        await waitForExit(pid, 5_000);
      }
    }
    await this.start();
  }

  /** Stops and removes a server of its own; on a shared server (see sharedEjabberd) does nothing. */
  async stop(): Promise<void> {
    if (this.#shared || this.#stopped) return;
    this.#stopped = true;
    try {
      await this.#terminate();
    } finally {
      live.delete(this);
      await Deno.remove(this.dir, { recursive: true }).catch(() => {});
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Kills the VM at once, whatever the kind of server. */
  async kill(): Promise<void> {
    const pid = await this.#pid();
    if (pid === 0) return;
    signalPid(pid, "SIGKILL");
    await waitForExit(pid, 5_000);
  }

  async logs(): Promise<string> {
    const log = await Deno.readTextFile(`${this.dir}/logs/ejabberd.log`).catch(() => "");
    const console = await Deno.readTextFile(`${this.dir}/console.log`).catch(() => "");
    return console.trim() === "" ? log : `${log}\n--- console ---\n${console}`;
  }

  /** Last resort when the test file unloads with the server still up. */
  killNow(): void {
    try {
      const state = JSON.parse(Deno.readTextFileSync(this.#stateFile)) as EjabberdState;
      signalPid(state.pid, "SIGKILL");
    } catch {
      // Never started.
    }
    try {
      Deno.removeSync(this.dir, { recursive: true });
    } catch {
      // Already gone.
    }
  }

  /**
   * SIGTERM lets ejabberd close every stream (clients see a real shutdown); once its log says
   * it stopped, SIGKILL spares the VM's second of exit, since the data is deleted anyway.
   */
  async #terminate(): Promise<void> {
    const pid = await this.#pid();
    if (pid === 0 || !(await processAlive(pid))) return;
    const logFile = `${this.dir}/logs/ejabberd.log`;
    const before = (await Deno.stat(logFile).catch(() => ({ size: 0 }))).size;
    signalPid(pid, "SIGTERM");
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await processAlive(pid))) {
      if (/ is stopped in the node /.test(await readFrom(logFile, before))) break;
      await sleep(10);
    }
    signalPid(pid, "SIGKILL");
    await waitForExit(pid, 5_000);
  }

  async #pid(): Promise<number> {
    return (await EjabberdServer.readState(this.dir))?.pid ?? 0;
  }

  #state(pid: number): EjabberdState {
    return {
      c2sPort: this.c2sPort,
      componentPort: this.componentPort,
      httpPort: this.httpPort,
      componentSecret: this.componentSecret,
      tls: this.tls,
      certFile: this.certFile,
      keyFile: this.keyFile,
      configFile: this.configFile,
      dir: this.dir,
      startTimeoutMs: this.#startTimeoutMs,
      pid,
    };
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

async function readFrom(path: string, offset: number): Promise<string> {
  const bytes = await Deno.readFile(path).catch(() => new Uint8Array());
  return new TextDecoder().decode(bytes.subarray(offset));
}

function hookUnload(server: EjabberdServer): void {
  live.add(server);
  if (unloadHooked) return;
  unloadHooked = true;
  globalThis.addEventListener("unload", () => {
    for (const each of live) each.killNow();
  });
}
