/**
 * A real Prosody for integration tests: its own config and state in a temp directory, on free
 * loopback ports, never the system instance.
 *
 * @example
 * ```ts
 * await using prosody = await startProsody();
 * await prosody.register("alice", "secret");
 * ```
 *
 * @module
 */

import { accepts, answersStream, freePorts, LOOPBACK, sleep } from "./loopback.ts";
import {
  renderProsodyConfig,
  TEST_COMPONENT_DOMAIN,
  TEST_DOMAIN,
  TEST_MUC_DOMAIN,
} from "./prosody_config.ts";
import { testCertificate } from "./test_certificate.ts";
import type { XmppServerHandle } from "./xmpp_server.ts";

/** Options of {@linkcode startProsody}. */
export interface ProsodyOptions {
  /**
   * Offer STARTTLS and require it (`c2s_require_encryption = true`). With `false` the server
   * offers no TLS at all and accepts PLAIN over plaintext.
   * @default {true}
   */
  tls?: boolean;
  /**
   * Prosody modules loaded on top of Debian's default set.
   * @default {[]}
   */
  extraModules?: readonly string[];
  /**
   * Modules of Debian's default set turned off, e.g. `["limits"]` for a flood (say why
   * where it is used).
   * @default {[]}
   */
  disabledModules?: readonly string[];
  /**
   * Lowest level written to the log that `logs()` returns (`"debug"` shows every stanza).
   * @default {"info"}
   */
  logLevel?: "debug" | "info" | "warn";
  /**
   * How long to wait for the server to listen after a start or restart.
   * @default {20000}
   */
  startTimeoutMs?: number;
  /**
   * Lock a new room until its owner configures it (status 201), as a default Prosody does.
   * @default {true}
   */
  mucRoomLocking?: boolean;
  /**
   * More component domains, sharing {@linkcode ProsodyHandle.componentSecret}.
   * @default {[]}
   */
  extraComponents?: readonly string[];
  /**
   * Run an HTTP upload service (`http_file_share` at `upload.localhost`) on a free port, with
   * this size limit in bytes (Prosody's default when absent). @default {undefined} (none)
   */
  httpUpload?: { sizeLimit?: number };
}

/**
 * A running test Prosody (new rooms are unlocked; accounts made with `prosodyctl register`).
 * Stop it in a `finally`, or hold it with `await using`.
 */
export type ProsodyHandle = XmppServerHandle & {
  /** The HTTP upload service's port, for a server started with `httpUpload`. */
  readonly httpPort: number | undefined;
};

const live = new Set<Server>();
let unloadHooked = false;

/**
 * Starts a Prosody on free loopback ports and waits until it accepts connections.
 *
 * @param options TLS and module choices.
 * @returns The running server.
 * @throws {Error} When Prosody is missing or does not listen in time (the message carries its log).
 */
export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyHandle> {
  const dir = await Deno.makeTempDir({ prefix: "fluux-test-prosody-" });
  let server: Server | undefined;
  try {
    const { cert, key } = await testCertificate();
    const certFile = `${dir}/localhost.crt`;
    const keyFile = `${dir}/localhost.key`;
    await Deno.writeTextFile(certFile, cert);
    await Deno.writeTextFile(keyFile, key, { mode: 0o600 });
    const [c2sPort, componentPort, httpPort] = freePorts(3) as [number, number, number];
    const componentSecret = randomHex(16);
    const tls = options.tls ?? true;
    const configFile = `${dir}/prosody.cfg.lua`;
    await Deno.writeTextFile(
      configFile,
      renderProsodyConfig({
        dir,
        c2sPort,
        componentPort,
        componentSecret,
        tls: tls ? { certFile, keyFile } : null,
        extraModules: options.extraModules ?? [],
        disabledModules: options.disabledModules ?? [],
        logLevel: options.logLevel ?? "info",
        mucRoomLocking: options.mucRoomLocking ?? true,
        extraComponents: options.extraComponents ?? [],
        ...(options.httpUpload === undefined
          ? {}
          : { httpUpload: { port: httpPort, ...options.httpUpload } }),
      }),
    );
    server = new Server({
      ...(options.httpUpload === undefined ? {} : { httpPort }),
      c2sPort,
      componentPort,
      componentSecret,
      tls,
      certFile,
      keyFile,
      configFile,
      dir,
      startTimeoutMs: options.startTimeoutMs ?? 20_000,
    });
    await server.start();
    return server;
  } catch (error) {
    await server?.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
}

/**
 * Runs `fn` with a fresh Prosody and stops it afterwards, whether `fn` succeeds or throws.
 *
 * @param fn The test body.
 * @param options Passed to {@linkcode startProsody}.
 * @returns What `fn` returns.
 */
export async function withProsody<T>(
  fn: (prosody: ProsodyHandle) => Promise<T>,
  options: ProsodyOptions = {},
): Promise<T> {
  const prosody = await startProsody(options);
  try {
    return await fn(prosody);
  } finally {
    await prosody.stop();
  }
}

interface ServerFields {
  httpPort?: number;
  c2sPort: number;
  componentPort: number;
  componentSecret: string;
  tls: boolean;
  certFile: string;
  keyFile: string;
  configFile: string;
  dir: string;
  startTimeoutMs: number;
}

class Server implements ProsodyHandle {
  readonly domain = TEST_DOMAIN;
  readonly host = LOOPBACK;
  readonly mucDomain = TEST_MUC_DOMAIN;
  readonly componentDomain = TEST_COMPONENT_DOMAIN;
  readonly c2sPort: number;
  /** The HTTP upload service's port, for a server started with `httpUpload`. */
  readonly httpPort: number | undefined;
  readonly componentPort: number;
  readonly componentSecret: string;
  readonly tls: boolean;
  readonly certFile: string;
  readonly keyFile: string;
  readonly configFile: string;
  readonly dir: string;
  #startTimeoutMs: number;
  #child: Deno.ChildProcess | undefined;
  #drains: Promise<void>[] = [];
  #console = "";
  #stopped = false;

  constructor(fields: ServerFields) {
    this.c2sPort = fields.c2sPort;
    this.httpPort = fields.httpPort;
    this.componentPort = fields.componentPort;
    this.componentSecret = fields.componentSecret;
    this.tls = fields.tls;
    this.certFile = fields.certFile;
    this.keyFile = fields.keyFile;
    this.configFile = fields.configFile;
    this.dir = fields.dir;
    this.#startTimeoutMs = fields.startTimeoutMs;
  }

  get #pidFile(): string {
    return `${this.dir}/prosody.pid`;
  }

  async start(): Promise<void> {
    hookUnload();
    live.add(this);
    const child = new Deno.Command("prosody", {
      args: ["-F", "--config", this.configFile],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#drains = [this.#drain(child.stdout), this.#drain(child.stderr)];
    let exited = false;
    child.status.then(() => exited = true);
    const deadline = Date.now() + this.#startTimeoutMs;
    // Listening is not enough: Prosody installs its SIGTERM handler from its event loop, and a
    // SIGTERM before that kills it without removing the pidfile. An answered stream header
    // proves the loop runs.
    const checks = [
      () => exists(this.#pidFile),
      () => accepts(this.componentPort),
      () => answersStream(this.c2sPort, this.domain),
    ];
    for (const check of checks) {
      while (!(await check())) {
        if (exited || Date.now() > deadline) {
          const why = exited ? "exited" : "did not start in time";
          throw new Error(`Prosody ${why}:\n${await this.logs()}`);
        }
        await sleep(10);
      }
    }
  }

  async register(user: string, password: string, domain = this.domain): Promise<void> {
    const output = await new Deno.Command("prosodyctl", {
      args: ["--config", this.configFile, "register", user, domain, password],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      const text = new TextDecoder().decode(output.stderr) +
        new TextDecoder().decode(output.stdout);
      throw new Error(`Cannot register "${user}@${domain}": ${text.trim()}`);
    }
  }

  async restart(): Promise<void> {
    await this.#terminate();
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
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

  async logs(): Promise<string> {
    const log = await Deno.readTextFile(`${this.dir}/prosody.log`).catch(() => "");
    return this.#console === "" ? log : `${log}\n--- console ---\n${this.#console}`;
  }

  /** Last resort when the test process unloads with the server still up. */
  killNow(): void {
    if (this.#child !== undefined) signal(this.#child, "SIGKILL");
    try {
      Deno.removeSync(this.dir, { recursive: true });
    } catch {
      // Already gone.
    }
  }

  async #terminate(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    let exited = false;
    child.status.then(() => exited = true);
    signal(child, "SIGTERM");
    // Prosody removes its pidfile once shutdown is complete (sessions closed, data saved), but
    // its loop may then idle up to a second before the process exits: no need to wait for that.
    const deadline = Date.now() + 5_000;
    while (!exited && Date.now() < deadline && (await exists(this.#pidFile))) await sleep(5);
    const timer = setTimeout(() => signal(child, "SIGKILL"), exited ? 0 : 100);
    try {
      await child.status;
    } finally {
      clearTimeout(timer);
    }
    await Promise.all(this.#drains);
    await Deno.remove(this.#pidFile).catch(() => {});
  }

  async #drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) this.#console += decoder.decode(chunk, { stream: true });
  }
}

function signal(child: Deno.ChildProcess, name: Deno.Signal): void {
  try {
    child.kill(name);
  } catch {
    // Already exited.
  }
}

function hookUnload(): void {
  if (unloadHooked) return;
  unloadHooked = true;
  globalThis.addEventListener("unload", () => {
    for (const server of live) server.killNow();
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function randomHex(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
}
