/**
 * A hostile XMPP server for attack tests: it speaks just enough of RFC 6120 (plaintext
 * stream, SASL PLAIN accepting anything, resource binding) and XEP-0198 (enable, `<r/>`,
 * refusing resumption) to get an agent online, then sends whatever bytes a test gives it —
 * malformed XML, impossible addresses, restricted XML — which no real server would relay.
 * It counts the stanzas it sends, as a server with stream management does, so a test can
 * check the agent's acknowledgements.
 *
 * The agent must be configured with `server.allow_plaintext = true` (there is no TLS).
 *
 * @module
 */
import Parser from "@xmpp/xml/lib/Parser.js";

/** An element as the stream parser builds it. */
interface Element {
  name: string;
  attrs: Record<string, string | undefined>;
  toString(): string;
  getChild(name: string, xmlns?: string): Element | undefined;
}

/** Options of {@linkcode startRogueServer}. */
export interface RogueServerOptions {
  /** The domain served. @default {"localhost"} */
  domain?: string;
  /** Offer stream management. @default {true} */
  streamManagement?: boolean;
}

/** A running rogue server. */
export interface RogueServer extends AsyncDisposable {
  readonly port: number;
  /** Streams opened to it so far (a reconnect opens one more). */
  readonly connections: number;
  /** Top-level elements the agent sent on the current connection, as XML text. */
  readonly received: readonly string[];
  /** Waits until the current connection is bound (and stream management answered). */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Writes raw text on the current connection; `stanzas` says how many stanzas it holds,
   * for the stream management count.
   */
  send(text: string, options?: { stanzas?: number }): Promise<void>;
  /** Waits for an element from the agent whose XML matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** How many stanzas the server has sent since `<enabled/>` on the current connection. */
  readonly sentSinceEnabled: number;
  close(): Promise<void>;
}

const STREAM_NS = "http://etherx.jabber.org/streams";

/**
 * Starts a rogue server on a free loopback port.
 *
 * @param options What it offers.
 * @returns The running server.
 */
export function startRogueServer(options: RogueServerOptions = {}): Promise<RogueServer> {
  const domain = options.domain ?? "localhost";
  const sm = options.streamManagement ?? true;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const encoder = new TextEncoder();
  let current: Deno.TcpConn | undefined;
  let connections = 0;
  let received: string[] = [];
  let sent = 0;
  let counting = false;
  let readyState = Promise.withResolvers<void>();
  const waiters = new Set<{ pattern: RegExp; resolve: (text: string) => void }>();

  const write = async (conn: Deno.TcpConn, text: string, stanzas = 0) => {
    if (counting) sent += stanzas;
    await conn.write(encoder.encode(text)).catch(() => 0);
  };

  const serve = async (conn: Deno.TcpConn) => {
    connections++;
    current = conn;
    received = [];
    counting = false;
    sent = 0;
    let phase: "auth" | "bound" = "auth";
    let parser = newParser();
    const header = (id: string) =>
      `<?xml version='1.0'?><stream:stream xmlns='jabber:client' ` +
      `xmlns:stream='${STREAM_NS}' id='${id}' from='${domain}' version='1.0'>`;
    function newParser() {
      const p = new Parser();
      p.on("start", () => {
        if (phase === "auth") {
          void write(
            conn,
            header(`auth${connections}`) +
              "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
              "<mechanism>PLAIN</mechanism></mechanisms></stream:features>",
          );
        } else {
          void write(
            conn,
            header(`bound${connections}`) +
              "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>" +
              (sm ? "<sm xmlns='urn:xmpp:sm:3'/>" : "") + "</stream:features>",
          );
        }
      });
      p.on("element", (element: Element) => onElement(element));
      p.on("error", () => {});
      return p;
    }
    const onElement = (element: Element) => {
      const text = element.toString();
      received.push(text);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(text)) {
          waiters.delete(waiter);
          waiter.resolve(text);
        }
      }
      if (element.name === "auth") {
        phase = "bound";
        parser = newParser();
        void write(conn, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
      } else if (element.name === "iq" && element.getChild("bind")) {
        void write(
          conn,
          `<iq type='result' id='${element.attrs.id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>` +
            `<jid>bot@${domain}/fluux-agent</jid></bind></iq>`,
        );
        if (!sm) readyState.resolve();
      } else if (element.name === "enable") {
        void write(conn, "<enabled xmlns='urn:xmpp:sm:3' id='rogue' resume='true' max='60'/>");
        counting = true;
        readyState.resolve();
      } else if (element.name === "resume") {
        void write(
          conn,
          "<failed xmlns='urn:xmpp:sm:3'><item-not-found " +
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
        );
      } else if (
        element.name === "iq" && (element.attrs.type === "get" || element.attrs.type === "set")
      ) {
        void write(conn, `<iq type='result' id='${element.attrs.id}' from='${domain}'/>`, 1);
      }
    };
    try {
      for await (const chunk of conn.readable.pipeThrough(new TextDecoderStream())) {
        parser.write(chunk);
      }
    } catch {
      // The agent went away.
    }
    if (current === conn) current = undefined;
  };

  const accepting = (async () => {
    for await (const conn of listener) {
      readyState = Promise.withResolvers<void>();
      void serve(conn);
    }
  })().catch(() => {});

  const close = async () => {
    try {
      listener.close();
    } catch {
      // Closed already.
    }
    try {
      current?.close();
    } catch {
      // Closed already.
    }
    await accepting;
  };

  return Promise.resolve({
    port: (listener.addr as Deno.NetAddr).port,
    get connections() {
      return connections;
    },
    get received() {
      return received;
    },
    get sentSinceEnabled() {
      return sent;
    },
    ready: async (timeoutMs = 10_000) => {
      const timer = setTimeout(
        () => readyState.reject(new Error("Agent not bound in time")),
        timeoutMs,
      );
      try {
        await readyState.promise;
      } finally {
        clearTimeout(timer);
      }
    },
    send: async (text, { stanzas = 0 } = {}) => {
      if (current === undefined) throw new Error("No agent connected");
      await write(current, text, stanzas);
    },
    waitFor: (pattern, timeoutMs = 10_000) => {
      const found = received.find((text) => pattern.test(text));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<string>((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (text: string) => {
            clearTimeout(timer);
            resolve(text);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No element matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}
