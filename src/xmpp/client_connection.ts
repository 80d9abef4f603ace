/**
 * The agent's XMPP client connection (RFC 6120 C2S): STARTTLS, SASL (SCRAM-SHA-1 before
 * PLAIN), resource binding, IQ answers, keepalive pings, reconnection with backoff and an
 * outbox that keeps replies produced while the link is down.
 *
 * This is an edge file: it owns the socket. Everything it reports is a typed
 * {@linkcode XmppEvent}; everything it sends comes in as an {@linkcode XmppAction}.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import { Backoff } from "./backoff.ts";
import type { XmppAction, XmppEvent } from "./events.ts";
import { parseJid } from "./jid.ts";
import { buildChatStateMessage, buildMessage, parseMessage } from "./message.ts";
import { buildRosterQuery, NS_ROSTER, parseRoster, type RosterItem } from "./rfc6121_roster.ts";
import { buildDiscoInfo, NS_DISCO_INFO } from "./xep_0030_disco.ts";
import { NS_CHAT_STATES } from "./xep_0085_chat_states.ts";
import { buildVersion, NS_VERSION } from "./xep_0092_version.ts";
import { buildPing, NS_PING } from "./xep_0199_ping.ts";
import { parseXml, xml, type XmlElement } from "./_xml.ts";
import {
  createXmppJsClient,
  type CredentialsFunction,
  type XmppJsClient,
  type XmppJsSocket,
} from "./_xmpp_client.ts";

/** Options for {@linkcode ClientConnection}. */
export interface ClientConnectionOptions {
  /** Address of the server to connect to. */
  host: string;
  /** Port of the server. */
  port: number;
  /** The agent's bare JID. */
  jid: string;
  /** The account password. */
  password: string;
  /** The resource to bind. */
  resource: string;
  /** Allow logging in without TLS when the server offers no STARTTLS. */
  allowPlaintext: boolean;
  /** Check the server's TLS certificate. @default {true} */
  tlsVerify?: boolean;
  /** Keepalive pings; `intervalMs` 0 disables them. */
  keepalive: { intervalMs: number; timeoutMs: number };
  /** Name and version answered to XEP-0092 and shown in disco#info. */
  software: { name: string; version: string };
  /** Where the connection logs. */
  logger: Logger;
  /** Reconnection delays. @default {new Backoff()} */
  backoff?: Backoff;
}

/** A failure that retrying cannot fix: bad credentials, refused plaintext, bad certificate. */
export class XmppFatalError extends Error {
  override name = "XmppFatalError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Features the agent advertises in disco#info. */
const FEATURES = [NS_PING, NS_VERSION, NS_CHAT_STATES, "urn:xmpp:sid:0"];

/**
 * One logical XMPP session that survives disconnections.
 *
 * @example
 * ```ts
 * const connection = new ClientConnection(options);
 * connection.onEvent((event) => console.log(event.type));
 * await connection.run(); // resolves after stop(), rejects on a fatal error
 * ```
 */
export class ClientConnection {
  #options: ClientConnectionOptions;
  #log: Logger;
  #backoff: Backoff;
  #domain: string;
  #handler: (event: XmppEvent) => void = () => {};
  #client: XmppJsClient | undefined;
  #online = false;
  #stopped = false;
  #outbox: XmppAction[] = [];
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #done = Promise.withResolvers<void>();

  constructor(options: ClientConnectionOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#backoff = options.backoff ?? new Backoff();
    this.#domain = parseJid(options.jid).domain;
  }

  /** Sets the function that receives every event. */
  onEvent(handler: (event: XmppEvent) => void): void {
    this.#handler = handler;
  }

  /** True while a session is established. */
  get online(): boolean {
    return this.#online;
  }

  /**
   * Connects and keeps the session up until {@linkcode stop}.
   *
   * @returns A promise that resolves after `stop()`.
   * @throws {XmppFatalError} When the server refuses the credentials or the link's security.
   */
  run(): Promise<void> {
    void this.#attempt();
    return this.#done.promise;
  }

  /** Sends an action now, or keeps it until the session is back (chat states are dropped). */
  send(action: XmppAction): void {
    const client = this.#client;
    if (!this.#online || client === undefined) {
      if (action.type !== "chat_state") this.#outbox.push(action);
      return;
    }
    client.send(this.#build(action)).catch((error: unknown) => {
      this.#log.warn(`Send failed, keeping it for the next session: ${errorText(error)}`);
      if (action.type !== "chat_state") this.#outbox.push(action);
    });
  }

  /** Fetches the roster. */
  async roster(): Promise<RosterItem[]> {
    const client = this.#client;
    if (client === undefined) return [];
    const result = await client.iqCaller.request(
      xml("iq", { type: "get", id: crypto.randomUUID() }, buildRosterQuery()),
      30_000,
    );
    return parseRoster(result.getChild("query", NS_ROSTER));
  }

  /** Says goodbye to the server and stops reconnecting. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    const client = this.#client;
    this.#online = false;
    if (client !== undefined) {
      try {
        await withTimeout(client.send(xml("presence", { type: "unavailable" })), 1000);
        await withTimeout(client.stop(), 2000);
      } catch {
        destroySocket(client.socket);
      }
      client.removeAllListeners();
    }
    this.#done.resolve();
  }

  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    const { host, port, resource } = this.#options;
    const client = createXmppJsClient({
      service: `xmpp://${host}:${port}`,
      domain: this.#domain,
      resource,
      credentials: this.#credentials(),
      tlsVerify: this.#options.tlsVerify ?? true,
    });
    // Reconnection is ours (backoff, fatal errors), not the library's fixed 1 s loop.
    client.reconnect.stop();
    this.#client = client;
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      this.#ended(client, reason);
    };
    client.on("status", (status) => {
      // Without TCP_NODELAY a chat state followed by a quick reply waits ~40 ms for the
      // peer's delayed ACK (Nagle): set it as soon as the socket exists.
      if (status === "connect") setNoDelay(client.socket);
    });
    client.on("stanza", (stanza) => this.#onStanza(stanza));
    client.on("error", (error) => this.#log.debug(`Connection error: ${errorText(error)}`));
    client.on("disconnect", () => end("connection closed"));
    this.#answerIqs(client);
    try {
      await client.start();
    } catch (error) {
      const fatal = fatalReason(error);
      if (fatal !== undefined) {
        ended = true;
        this.#stopped = true;
        client.removeAllListeners();
        destroySocket(client.socket);
        this.#done.reject(new XmppFatalError(fatal, { cause: error }));
        return;
      }
      this.#log.warn(`Cannot connect to ${host}:${port}: ${errorText(error)}`);
      end(errorText(error));
      return;
    }
    if (this.#stopped) return;
    this.#online = true;
    this.#backoff.connected(Date.now());
    this.#log.info(
      `Online as ${client.jid?.toString()} (${client.isSecure() ? "TLS" : "plaintext"})`,
    );
    await client.send(xml("presence", {}, xml("priority", {}, "1")));
    this.#flush();
    this.#startKeepalive(client);
    this.#handler({ type: "online", jid: client.jid?.toString() ?? this.#options.jid });
  }

  #ended(client: XmppJsClient, reason: string): void {
    if (client !== this.#client || this.#stopped) return;
    const wasOnline = this.#online;
    this.#online = false;
    clearInterval(this.#pingTimer);
    client.removeAllListeners();
    client.on("error", () => {});
    destroySocket(client.socket);
    this.#backoff.disconnected(Date.now());
    const delay = this.#backoff.next();
    if (wasOnline) {
      this.#log.warn(`Disconnected (${reason}); reconnecting in ${delay / 1000} s`);
      this.#handler({ type: "offline", reason });
    } else {
      this.#log.info(`Retrying in ${delay / 1000} s`);
    }
    this.#retryTimer = setTimeout(() => void this.#attempt(), delay);
  }

  #credentials(): CredentialsFunction {
    const { jid, password, allowPlaintext } = this.#options;
    const username = parseJid(jid).local;
    return async (authenticate, mechanisms, _fast, entity) => {
      if (!entity.isSecure() && !allowPlaintext) {
        throw new PlaintextRefused();
      }
      const mechanism = ["SCRAM-SHA-1", "PLAIN"].find((m) => mechanisms.includes(m));
      if (mechanism === undefined) {
        throw new XmppFatalError(
          `The server offers no supported SASL mechanism (offered: ${mechanisms.join(", ")})`,
        );
      }
      await authenticate({ username, password }, mechanism);
    };
  }

  #answerIqs(client: XmppJsClient): void {
    const { name, version } = this.#options.software;
    client.iqCallee.get(
      NS_DISCO_INFO,
      "query",
      () => buildDiscoInfo({ category: "client", type: "bot", name }, FEATURES),
    );
    client.iqCallee.get(NS_VERSION, "query", () => buildVersion(name, version));
    // RFC 6121 §2.1.6: a roster push from our own server is acknowledged.
    client.iqCallee.set(NS_ROSTER, "query", (ctx) => {
      const from = ctx.stanza.attrs.from;
      return from === undefined || from === this.#options.jid || from === this.#domain
        ? {}
        : undefined;
    });
  }

  #onStanza(stanza: XmlElement): void {
    if (stanza.is("message")) {
      const event = parseMessage(stanza);
      if (event !== undefined) this.#handler(event);
      return;
    }
    if (stanza.is("presence") && stanza.attrs.type === "subscribe") {
      const from = stanza.attrs.from;
      const bare = from === undefined ? undefined : safeBare(from);
      if (bare !== undefined) this.#handler({ type: "subscribe", bare });
    }
  }

  #flush(): void {
    const pending = this.#outbox;
    this.#outbox = [];
    if (pending.length > 0) this.#log.info(`Sending ${pending.length} queued stanza(s)`);
    for (const action of pending) this.send(action);
  }

  #startKeepalive(client: XmppJsClient): void {
    const { intervalMs, timeoutMs } = this.#options.keepalive;
    if (intervalMs <= 0) return;
    let waiting = false;
    this.#pingTimer = setInterval(async () => {
      if (waiting || client !== this.#client || !this.#online) return;
      waiting = true;
      try {
        await client.iqCaller.request(
          xml("iq", { type: "get", to: this.#domain, id: crypto.randomUUID() }, buildPing()),
          timeoutMs,
        );
      } catch (error) {
        // An error reply still proves the link is alive; only silence means it is dead.
        if (error instanceof Error && error.name === "TimeoutError") {
          this.#log.warn(`No answer to keepalive ping within ${timeoutMs} ms: link is dead`);
          destroySocket(client.socket);
        }
      } finally {
        waiting = false;
      }
    }, intervalMs);
  }

  #build(action: XmppAction): XmlElement {
    const id = crypto.randomUUID();
    switch (action.type) {
      case "message":
        return buildMessage(action, id);
      case "chat_state":
        return buildChatStateMessage(action, id);
      case "subscribe":
      case "subscribed":
        return xml("presence", { to: action.to, type: action.type });
      case "raw":
        return parseXml(action.xml);
      case "join":
      case "leave":
        throw new RangeError(`Unsupported action "${action.type}"`);
    }
  }
}

class PlaintextRefused extends Error {
  override name = "PlaintextRefused";
}

function fatalReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof XmppFatalError) return error.message;
  if (error.name === "SASLError") {
    const condition = (error as Error & { condition?: string }).condition ?? error.message;
    return `Authentication failed (${condition}): check server.jid and server.password`;
  }
  if (error instanceof PlaintextRefused) {
    return "The server offers no STARTTLS: refusing to send the password in plaintext " +
      "(set server.allow_plaintext = true to allow it)";
  }
  if (/certificate|UnknownIssuer|CertNotValid/i.test(error.message)) {
    return `The server's TLS certificate was rejected (${error.message}); ` +
      "fix the certificate or set server.tls_verify = false";
  }
  return undefined;
}

function safeBare(jid: string): string | undefined {
  try {
    return parseJid(jid).bare;
  } catch {
    return undefined;
  }
}

function setNoDelay(socket: XmppJsSocket | null): void {
  try {
    socket?.setNoDelay?.(true);
    socket?.socket?.setNoDelay?.(true);
  } catch {
    // Not every transport exposes the option; latency is then the kernel's.
  }
}

function destroySocket(socket: XmppJsSocket | null): void {
  try {
    socket?.socket?.destroy?.();
    socket?.destroy?.();
  } catch {
    // Already gone.
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
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
