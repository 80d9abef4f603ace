/**
 * A typed face over `@xmpp/client` for the benchmark's own XMPP clients (the driver users
 * and the floor bot): connect with SASL over STARTTLS, TCP_NODELAY on, no auto-reconnect.
 *
 * TLS: the test Prosody's certificate is made at run time, so it cannot be trusted with
 * `--cert` when the process starts; {@linkcode connectPeer} callers run with
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` (the bench sets it for itself, see main.ts) or with
 * `--cert` (the floor bot is a child started after the certificate exists).
 *
 * @module
 */
import * as untyped from "@xmpp/client";

// deno-lint-ignore no-explicit-any
const lib = untyped as any;

/** An XML element as xmpp.js builds and parses it. */
export interface Stanza {
  name: string;
  attrs: Record<string, string | undefined>;
  is(name: string, xmlns?: string): boolean;
  getChild(name: string, xmlns?: string): Stanza | undefined;
  getChildText(name: string, xmlns?: string): string | null;
}

interface Socket {
  socket?: Socket;
  setNoDelay?(noDelay: boolean): void;
  destroy?(): void;
}

interface Client {
  socket: Socket | null;
  jid: { toString(): string } | null;
  reconnect: { stop(): void };
  iqCaller: { request(stanza: Stanza, timeoutMs?: number): Promise<Stanza> };
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(element: Stanza): Promise<void>;
  sendMany(elements: Stanza[]): Promise<void>;
  on(event: "stanza", listener: (stanza: Stanza) => void): void;
  on(event: "status", listener: (status: string) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  removeAllListeners(): void;
}

/** Builds an element. */
export function xml(
  name: string,
  attrs: Record<string, string> = {},
  ...children: (Stanza | string)[]
): Stanza {
  return lib.xml(name, attrs, ...children) as Stanza;
}

/** Where and as whom {@linkcode connectPeer} logs in. */
export interface PeerOptions {
  host: string;
  port: number;
  domain: string;
  user: string;
  password: string;
  /** Resource to bind. @default {"bench"} */
  resource?: string;
}

/** A logged-in client that has fetched its roster and sent its initial presence. */
export interface Peer extends AsyncDisposable {
  /** The full JID bound. */
  readonly jid: string;
  /** Sends a stanza (written to the socket when the promise resolves). */
  send(stanza: Stanza): Promise<void>;
  /** Sends stanzas through one socket write (stream management counts each). */
  sendMany(stanzas: Stanza[]): Promise<void>;
  /** Sends a chat message with a body. */
  chat(to: string, body: string): Promise<void>;
  /** Sets the function called for every incoming stanza. */
  onStanza(handler: (stanza: Stanza) => void): void;
  /** Closes the stream (or the socket when the server does not answer). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Logs in, fetches the roster and sends initial presence.
 *
 * @param options Server and account.
 * @returns The connected peer.
 * @throws {Error} When the login fails.
 */
export async function connectPeer(options: PeerOptions): Promise<Peer> {
  const client = lib.client({
    service: `xmpp://${options.host}:${options.port}`,
    domain: options.domain,
    resource: options.resource ?? "bench",
    username: options.user,
    password: options.password,
  }) as Client;
  client.reconnect.stop();
  let handler: (stanza: Stanza) => void = () => {};
  client.on("status", (status) => {
    // Without TCP_NODELAY two small stanzas in a row wait for the peer's delayed ACK.
    if (status === "connect") noDelay(client.socket);
  });
  client.on("stanza", (stanza) => handler(stanza));
  client.on("error", () => {});
  try {
    await client.start();
  } catch (error) {
    destroy(client.socket);
    throw new Error(`Cannot log in as "${options.user}@${options.domain}"`, { cause: error });
  }
  // Like a real client: fetch the roster first, which makes this an "interested resource"
  // (RFC 6121 §2.1.2) that receives subscription requests.
  await client.iqCaller.request(
    xml("iq", { type: "get", id: "roster" }, xml("query", { xmlns: "jabber:iq:roster" })),
    10_000,
  );
  await client.send(xml("presence"));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await timeout(client.stop(), 1000);
    } catch {
      destroy(client.socket);
    }
    client.removeAllListeners();
  };
  let next = 0;
  return {
    jid: client.jid?.toString() ?? `${options.user}@${options.domain}`,
    send: (stanza) => client.send(stanza),
    sendMany: (stanzas) => client.sendMany(stanzas),
    chat: (to, body) =>
      client.send(xml("message", { to, type: "chat", id: `b${next++}` }, xml("body", {}, body))),
    onStanza: (next) => handler = next,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function noDelay(socket: Socket | null): void {
  socket?.setNoDelay?.(true);
  socket?.socket?.setNoDelay?.(true);
}

function destroy(socket: Socket | null): void {
  try {
    socket?.socket?.destroy?.();
    socket?.destroy?.();
  } catch {
    // Already gone.
  }
}

async function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Timed out")), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
