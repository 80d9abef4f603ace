/**
 * The webhook listener's server: the Hono app behind `Deno.serve`, each request given the
 * peer's address.
 *
 * @module
 */
import type { Hono } from "hono";
import { parseListenAddress } from "../config/mod.ts";
import { errorMessage, type Logger, silentLogger } from "../log/mod.ts";
import type { WebhookEnv } from "./webhook_env.ts";

/** Options for {@linkcode serveWebhooks}. */
export interface ServeWebhooksOptions {
  /** Where to listen, `host:port` (`webhooks.listen`); port 0 picks a free port (tests). */
  listen: string;
  /**
   * Stops the server: it stops accepting, finishes the requests under way, then `finished`
   * resolves.
   */
  signal?: AbortSignal;
  /**
   * Says where it listens, and when it stopped and listens again.
   * @default {silentLogger()}
   */
  log?: Logger;
  /**
   * How long to wait before listening again once accepting failed (out of file descriptors).
   * @default {1000}
   */
  retryMs?: number;
}

/** A running listener. */
export interface WebhookServer {
  /** The address bound (the actual port when `listen` asked for port 0). */
  hostname: string;
  port: number;
  /** Resolves once the server has stopped (by `shutdown` or `signal`; never rejects). */
  finished: Promise<void>;
  /** Stops accepting and resolves once the requests under way are answered. */
  shutdown(): Promise<void>;
}

/**
 * Serves the app over HTTP with `Deno.serve`. Needs `--allow-net=<host:port>` (the config's
 * permission set includes it). When accepting fails (the process is out of file descriptors),
 * it logs an error and listens again after `retryMs`, on the same port.
 *
 * @param app What `webhookApp` returned.
 * @returns The server, already listening.
 * @throws {TypeError} When `listen` is not `host:port`.
 * @throws {Deno.errors.AddrInUse} When the port is taken, `NotCapable` without the grant.
 * @example
 * ```ts
 * const server = serveWebhooks(webhookApp(config.webhooks, collaborators), {
 *   listen: config.webhooks.listen,
 *   signal: stopping.signal,
 * });
 * await server.finished;
 * ```
 */
export function serveWebhooks(app: Hono<WebhookEnv>, options: ServeWebhooksOptions): WebhookServer {
  const address = parseListenAddress(options.listen, { allowPortZero: true });
  if (address === undefined) {
    throw new TypeError(
      `Expected a listen address "host:port", got ${JSON.stringify(options.listen)}`,
    );
  }
  const log = options.log ?? silentLogger();
  const retryMs = options.retryMs ?? 1000;
  let stopping = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ended!: () => void;
  const finished = new Promise<void>((resolve) => ended = resolve);
  const handleRequest = (request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) =>
    app.fetch(request, { remoteAddress: info.remoteAddr.hostname });
  const listen = (port: number, onListen: (addr: Deno.NetAddr) => void) => {
    const server = Deno.serve({
      hostname: address.hostname,
      port,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onListen,
    }, handleRequest);
    // Deno.serve stops for good when accepting fails — "Too many open files" once enough
    // peers hold connections open, which it never times out — and `finished` rejects: left
    // unhandled, that ended the whole agent. The listener is set up again instead.
    server.finished.then(ended, (error: unknown) => {
      if (stopping || options.signal?.aborted === true) return ended();
      log.error(`The webhook listener stopped (${errorMessage(error)}); listening again shortly`);
      relisten(server.addr.port);
    });
    return server;
  };
  const relisten = (port: number) => {
    retry = setTimeout(() => {
      retry = undefined;
      if (stopping || options.signal?.aborted === true) return ended();
      try {
        current = listen(port, () => log.info(`Listening for webhooks again on ${port}`));
      } catch (error) {
        log.error(`Cannot listen for webhooks again (${errorMessage(error)}); trying again`);
        relisten(port);
      }
    }, retryMs);
  };
  let current = listen(address.port, ({ hostname, port }) => {
    log.info(
      `Listening for webhooks on ${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`,
    );
  });
  const { hostname, port } = current.addr;
  return {
    hostname,
    port,
    finished,
    shutdown: async () => {
      stopping = true;
      if (retry !== undefined) {
        clearTimeout(retry);
        retry = undefined;
        ended();
      }
      await current.shutdown().catch(() => {});
      await finished;
    },
  };
}
