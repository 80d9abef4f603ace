/**
 * The webhook listener's server: the Hono app behind `Deno.serve`, each request given the
 * peer's address.
 *
 * @module
 */
import type { Hono } from "hono";
import { parseListenAddress } from "../config/mod.ts";
import { type Logger, silentLogger } from "../log/mod.ts";
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
   * Says where it listens.
   * @default {silentLogger()}
   */
  log?: Logger;
}

/** A running listener. */
export interface WebhookServer {
  /** The address bound (the actual port when `listen` asked for port 0). */
  hostname: string;
  port: number;
  /** Resolves once the server has stopped. */
  finished: Promise<void>;
  /** Stops accepting and resolves once the requests under way are answered. */
  shutdown(): Promise<void>;
}

/**
 * Serves the app over HTTP with `Deno.serve`. Needs `--allow-net=<host:port>` (the config's
 * permission set includes it).
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
  const server = Deno.serve(
    {
      hostname: address.hostname,
      port: address.port,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onListen: ({ hostname, port }) => {
        log.info(
          `Listening for webhooks on ${
            hostname.includes(":") ? `[${hostname}]` : hostname
          }:${port}`,
        );
      },
    },
    function handleRequest(request, info) {
      return app.fetch(request, { remoteAddress: info.remoteAddr.hostname });
    },
  );
  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    finished: server.finished,
    shutdown: () => server.shutdown(),
  };
}
