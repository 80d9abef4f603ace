/**
 * A typed face over `@xmpp/client`, which ships no TypeScript types. Only what the agent
 * uses is declared.
 *
 * @module
 */
import * as untyped from "@xmpp/client";
import tls from "node:tls";
import type { XmlElement } from "./_xml.ts";

/** The authenticate callback xmpp.js hands to a credentials function. */
export type Authenticate = (
  credentials: { username: string; password: string },
  mechanism: string,
) => Promise<void>;

/** A credentials function: called once the server's SASL mechanisms are known. */
export type CredentialsFunction = (
  authenticate: Authenticate,
  mechanisms: string[],
  fast: unknown,
  entity: { isSecure(): boolean },
) => Promise<void>;

/** The middleware context of an IQ handler. */
export interface IqContext {
  from?: string;
  stanza: XmlElement;
  element: XmlElement;
}

/** The part of an xmpp.js entity (client or component) the agent uses. */
export interface XmppJsEntity {
  status: string;
  socket: XmppJsSocket | null;
  jid: { toString(): string } | null;
  reconnect: { stop(): void };
  iqCaller: { request(stanza: XmlElement, timeoutMs?: number): Promise<XmlElement> };
  iqCallee: {
    get(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
    set(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
  };
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(element: XmlElement): Promise<void>;
  on(event: "stanza", listener: (stanza: XmlElement) => void): void;
  on(event: "online", listener: (jid: { toString(): string }) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "status", listener: (status: string) => void): void;
  on(event: "disconnect" | "offline", listener: () => void): void;
  removeAllListeners(): void;
}

/** The part of an xmpp.js client the agent uses. */
export interface XmppJsClient extends XmppJsEntity {
  isSecure(): boolean;
}

/** The socket wrapper of xmpp.js: a `net.Socket`, or a TLS wrapper holding one. */
export interface XmppJsSocket {
  socket?: XmppJsSocket;
  setNoDelay?(noDelay: boolean): void;
  destroy?(): void;
}

/** Options for {@linkcode createXmppJsClient}. */
export interface XmppJsClientOptions {
  service: string;
  domain: string;
  resource: string;
  credentials: CredentialsFunction;
  /** Check the server's certificate. @default {true} */
  tlsVerify?: boolean;
}

/** Creates an xmpp.js client. */
export function createXmppJsClient(options: XmppJsClientOptions): XmppJsClient {
  if (options.tlsVerify === false) skipCertificateCheck(options.domain);
  // deno-lint-ignore no-explicit-any
  return (untyped as any).client(options) as XmppJsClient;
}

const uncheckedHosts = new Set<string>();

/**
 * Accepts any certificate from `host` (`server.tls_verify = false`). xmpp.js gives no way to
 * pass TLS options to its STARTTLS upgrade, and Deno's `--unsafely-ignore-certificate-errors`
 * does not reach `node:tls`, so the one `tls.connect` the library calls is wrapped — for
 * this host only; every other TLS connection keeps full verification.
 */
function skipCertificateCheck(host: string): void {
  if (uncheckedHosts.size === 0) {
    const connect = tls.connect;
    // deno-lint-ignore no-explicit-any
    (tls as any).connect = (options: any, ...rest: unknown[]) =>
      // deno-lint-ignore no-explicit-any
      (connect as any)(
        typeof options === "object" && options !== null && uncheckedHosts.has(options.host)
          ? { ...options, rejectUnauthorized: false }
          : options,
        ...rest,
      );
  }
  uncheckedHosts.add(host);
}
