/**
 * A typed face over the parts of xmpp.js the client connection is built from (they ship no
 * TypeScript types). Only what the agent uses is declared.
 *
 * @module
 */
import { Client } from "@xmpp/client-core";
import iqCallee from "@xmpp/iq/callee.js";
import iqCaller from "@xmpp/iq/caller.js";
import _middleware from "@xmpp/middleware";
import sasl from "@xmpp/sasl";
import plain from "@xmpp/sasl-plain";
import scramsha1 from "@xmpp/sasl-scram-sha-1";
import starttls from "@xmpp/starttls";
import _streamFeatures from "@xmpp/stream-features";
import tcp from "@xmpp/tcp";
import SASLFactory from "saslmechanisms";
import tls from "node:tls";
import { xml, type XmlElement } from "./_xml.ts";

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
  /** The library's own reconnect loop, when the entity has one (components). */
  reconnect?: { stop(): void };
  iqCaller: { request(stanza: XmlElement, timeoutMs?: number): Promise<XmlElement> };
  iqCallee: {
    get(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
    set(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
  };
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(element: XmlElement): Promise<void>;
  /** Writes serialised XML to the socket (what `send` does with an element). */
  write(text: string): Promise<void>;
  on(event: "stanza", listener: (stanza: XmlElement) => void): void;
  on(event: "online", listener: (jid: { toString(): string }) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "status", listener: (status: string) => void): void;
  on(event: "nonza", listener: (element: XmlElement) => void): void;
  on(event: "disconnect" | "offline", listener: () => void): void;
  removeAllListeners(): void;
}

/** The part of an xmpp.js client the agent uses. */
export interface XmppJsClient extends XmppJsEntity {
  isSecure(): boolean;
  /** Sets the bound JID. */
  _jid(jid: string): unknown;
  /** Reports the stream negotiated: status `online`, which resolves `start()`. */
  _ready(resumed?: boolean): void;
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
  credentials: CredentialsFunction;
  /**
   * Negotiates the authenticated stream: resource binding or resumption, stream management.
   * Called with the stream features that offer `bind`; it must end with `entity._ready()`,
   * which reports the entity online.
   */
  negotiate: (entity: XmppJsClient, features: XmlElement) => Promise<void>;
  /** Check the server's certificate. @default {true} */
  tlsVerify?: boolean;
}

const NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";

/**
 * Creates an xmpp.js client from its parts: TCP, STARTTLS, SASL (SCRAM-SHA-1, PLAIN), IQs.
 * Not `@xmpp/client`'s factory: its stream management counts stanzas that arrive before
 * `<enabled/>` and reports the entity online before `<enable/>` is sent, and its reconnect
 * loop and queue would be a second owner of the session. Resource binding and stream
 * management are the caller's, through `negotiate`.
 */
export function createXmppJsClient(options: XmppJsClientOptions): XmppJsClient {
  if (options.tlsVerify === false) skipCertificateCheck(options.domain);
  const { service, domain } = options;
  // deno-lint-ignore no-explicit-any
  const entity: any = new Client({ service, domain });
  tcp({ entity });
  const middleware = _middleware({ entity });
  const streamFeatures = _streamFeatures({ middleware });
  entity.middleware = middleware;
  entity.iqCaller = iqCaller({ middleware, entity });
  entity.iqCallee = iqCallee({ middleware, entity });
  starttls({ streamFeatures });
  const saslFactory = new SASLFactory();
  scramsha1(saslFactory);
  plain(saslFactory);
  sasl({ streamFeatures, saslFactory }, options.credentials);
  streamFeatures.use(
    "bind",
    NS_BIND,
    ({ stanza }: { stanza: XmlElement }) => options.negotiate(entity, stanza),
  );
  // RFC 6120 §8: an IQ get/set that nothing handles is answered with an error (iqCallee
  // does it); a ping is answered even before the agent registers its handlers.
  entity.iqCallee.get("urn:xmpp:ping", "ping", () => ({}));
  return entity as XmppJsClient;
}

/**
 * Binds `resource` (RFC 6120 §7) and records the full JID the server assigned.
 *
 * @returns The bound full JID.
 */
export async function bindResource(entity: XmppJsClient, resource: string): Promise<string> {
  const bind = xml("bind", { xmlns: NS_BIND }, xml("resource", {}, resource));
  const result = await entity.iqCaller.request(
    xml("iq", { type: "set", id: crypto.randomUUID() }, bind),
    30_000,
  );
  const jid = result.getChild("bind", NS_BIND)?.getChildText("jid");
  if (!jid) throw new Error("The server bound no resource");
  entity._jid(jid);
  return jid;
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
