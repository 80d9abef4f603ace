/**
 * A real ejabberd (Debian's package, Debian's module set) for integration tests: its own
 * config, spool and logs in a temp directory, on free loopback ports, never the system
 * service. The twin of tests/support/prosody.ts; both return an {@linkcode XmppServerHandle}.
 *
 * What a test meets here that the test Prosody does not do, because deployed ejabberd does it:
 * - a new MUC room is open at once: its creator gets status 201 (and 110) and others can
 *   join before any configuration; rooms are semi-anonymous (only moderators see real JIDs),
 *   and a joiner also gets a presence from the room's bare JID carrying entity caps;
 * - stream management (XEP-0198) is offered after login (`<enabled resume='true'
 *   max='300'/>`) and the server asks for an ack (`<r/>`) after each stanza it sends;
 * - MAM stamps a `<stanza-id/>` on chat and room messages; offline storage is on;
 *   presences carry `<x xmlns='vcard-temp:x:update'/>`;
 * - a stanza to another server bounces with `forbidden` (s2s off), to an unknown local user
 *   with `service-unavailable`; software version name is `"ejabberd"`;
 * - the c2s shaper holds each client to 3000 B/s after a 20 kB burst;
 * - starting takes over a second: share one server per test run with `sharedEjabberd()`
 *   from tests/support/shared_ejabberd.ts.
 *
 * `api()` reaches every ejabberdctl command, e.g. `user_sessions_info` tells how long a
 * session has been up, which shows whether a client reconnected.
 *
 * @example
 * ```ts
 * await using ejabberd = await startEjabberd();
 * await ejabberd.register("alice", "secret");
 * ```
 *
 * @module
 */

import { renderEjabberdConfig } from "./ejabberd_config.ts";
import { EjabberdServer, type EjabberdState } from "./_ejabberd_server.ts";
import { freePorts } from "./loopback.ts";
import { testCertificate } from "./test_certificate.ts";
import { randomHex, type XmppServerHandle } from "./xmpp_server.ts";

/** Options of {@linkcode startEjabberd}. */
export interface EjabberdOptions {
  /**
   * Offer STARTTLS and require it (`starttls_required: true`, Debian's setting). With `false`
   * the server offers no TLS at all and accepts PLAIN over plaintext.
   * @default {true}
   */
  tls?: boolean;
  /**
   * Lowest level written to the log that `logs()` returns (`"debug"` shows every stanza).
   * @default {"info"}
   */
  logLevel?: "debug" | "info" | "warning";
  /**
   * How long to wait for the server to listen after a start or restart.
   * @default {30000}
   */
  startTimeoutMs?: number;
}

/** A running test ejabberd. */
export interface EjabberdHandle extends XmppServerHandle {
  /** Loopback port of ejabberd's HTTP listener (`/api`, `/bosh`, `/ws`), plain HTTP. */
  readonly httpPort: number;
  /**
   * Calls an ejabberd API command (the same commands as `ejabberdctl`, e.g.
   * `"connected_users"`, `"user_sessions_info"`, `"get_roster"`) over mod_http_api.
   *
   * @param command The command name.
   * @param args Its arguments by name, e.g. `{ user: "alice", host: "localhost" }`.
   * @returns The command's JSON result.
   * @throws {Error} When the command fails (the message carries ejabberd's answer).
   */
  api(command: string, args?: Record<string, unknown>): Promise<unknown>;
}

/**
 * Starts an ejabberd on free loopback ports and waits until it accepts connections.
 *
 * @param options TLS and log choices.
 * @returns The running server; `stop()` it (or hold it with `await using`).
 * @throws {Error} When ejabberd is missing or does not listen in time (the message carries its log).
 */
export async function startEjabberd(options: EjabberdOptions = {}): Promise<EjabberdHandle> {
  const dir = await Deno.makeTempDir({ prefix: "fluux-test-ejabberd-" });
  return await launchEjabberd(dir, options, false);
}

/**
 * Writes config and certificate into `dir` (which must exist) and starts the server there.
 * On failure the server is killed and `dir` removed.
 *
 * @param dir The server's directory.
 * @param options TLS and log choices.
 * @param shared Whether the server outlives the test file (then `stop()` does nothing).
 * @returns The running server.
 * @throws {Error} When the server does not start.
 */
export async function launchEjabberd(
  dir: string,
  options: EjabberdOptions,
  shared: boolean,
): Promise<EjabberdServer> {
  let server: EjabberdServer | undefined;
  try {
    const { cert, key } = await testCertificate();
    const certFile = `${dir}/localhost.crt`;
    const keyFile = `${dir}/localhost.key`;
    await Deno.writeTextFile(certFile, cert);
    await Deno.writeTextFile(keyFile, key, { mode: 0o600 });
    const [c2sPort, componentPort, httpPort] = freePorts(3) as [number, number, number];
    const componentSecret = randomHex(16);
    const tls = options.tls ?? true;
    const configFile = `${dir}/ejabberd.yml`;
    await Deno.writeTextFile(
      configFile,
      renderEjabberdConfig({
        c2sPort,
        componentPort,
        httpPort,
        componentSecret,
        tls: tls ? { certFile, keyFile } : null,
        logLevel: options.logLevel ?? "info",
      }),
      { mode: 0o600 },
    );
    const state: EjabberdState = {
      c2sPort,
      componentPort,
      httpPort,
      componentSecret,
      tls,
      certFile,
      keyFile,
      configFile,
      dir,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      pid: 0,
    };
    server = new EjabberdServer(state, shared);
    await server.start();
    return server;
  } catch (error) {
    await server?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
}

/**
 * Runs `fn` with a fresh ejabberd and stops it afterwards, whether `fn` succeeds or throws.
 *
 * @param fn The test body.
 * @param options Passed to {@linkcode startEjabberd}.
 * @returns What `fn` returns.
 */
export async function withEjabberd<T>(
  fn: (ejabberd: EjabberdHandle) => Promise<T>,
  options: EjabberdOptions = {},
): Promise<T> {
  const ejabberd = await startEjabberd(options);
  try {
    return await fn(ejabberd);
  } finally {
    await ejabberd.stop();
  }
}
