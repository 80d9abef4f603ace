/**
 * A TCP proxy on a free loopback port that forwards to a server and can cut every
 * connection through it at once — a network failure between the agent and its server,
 * as a mobile link or a NAT timeout produces it, with both ends seeing the connection drop.
 *
 * @example
 * ```ts
 * await using proxy = await startTcpProxy({ port: prosody.c2sPort });
 * // point the agent at proxy.port, then:
 * proxy.cut();
 * ```
 *
 * @module
 */

/** Options of {@linkcode startTcpProxy}. */
export interface TcpProxyOptions {
  /** Where to forward. @default {"127.0.0.1"} */
  hostname?: string;
  /** The server's port. */
  port: number;
}

/** A running proxy. */
export interface TcpProxy extends AsyncDisposable {
  /** The port to connect to instead of the server's. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Closes every open connection, both sides; new connections are still accepted. */
  cut(): void;
  /**
   * Writes `text` to every connected client as if the server had sent it (a plaintext
   * stream only: a hostile server or a man in the middle).
   */
  injectToClients(text: string): Promise<void>;
  /** Stops listening and closes everything. */
  close(): Promise<void>;
}

/**
 * Starts a proxy to `options.port`.
 *
 * @throws {Error} When no loopback port can be bound.
 */
export function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const hostname = options.hostname ?? "127.0.0.1";
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const pairs = new Set<[Deno.TcpConn, Deno.TcpConn]>();
  const pumps = new Set<Promise<void>>();
  let accepted = 0;
  const closeBoth = (pair: [Deno.TcpConn, Deno.TcpConn]) => {
    if (!pairs.delete(pair)) return;
    for (const conn of pair) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
  };
  const pump = async (from: Deno.TcpConn, to: Deno.TcpConn, pair: [Deno.TcpConn, Deno.TcpConn]) => {
    try {
      await from.readable.pipeTo(to.writable, { preventClose: true });
    } catch {
      // One side went away; the pair is closed below.
    }
    closeBoth(pair);
  };
  const accepting = (async () => {
    for await (const client of listener) {
      accepted++;
      let server: Deno.TcpConn;
      try {
        server = await Deno.connect({ hostname, port: options.port });
      } catch {
        client.close();
        continue;
      }
      for (const conn of [client, server]) conn.setNoDelay(true);
      const pair: [Deno.TcpConn, Deno.TcpConn] = [client, server];
      pairs.add(pair);
      for (const [from, to] of [[client, server], [server, client]] as const) {
        const running = pump(from, to, pair).finally(() => pumps.delete(running));
        pumps.add(running);
      }
    }
  })().catch(() => {});
  const close = async () => {
    try {
      listener.close();
    } catch {
      // Already closed.
    }
    for (const pair of [...pairs]) closeBoth(pair);
    await accepting;
    await Promise.all([...pumps]);
  };
  return Promise.resolve({
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return accepted;
    },
    cut: () => {
      for (const pair of [...pairs]) closeBoth(pair);
    },
    injectToClients: async (text) => {
      const bytes = new TextEncoder().encode(text);
      for (const [client] of pairs) await client.write(bytes).catch(() => 0);
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}
