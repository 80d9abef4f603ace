/**
 * The agent's XMPP client connection (RFC 6120 C2S): STARTTLS, SASL (SCRAM-SHA-1 before
 * PLAIN), resource binding, IQ answers, and everything {@linkcode XmppSession} shares with
 * the component connection: keepalive pings, reconnection with backoff, an outbox that keeps
 * replies produced while the link is down, and rooms.
 *
 * This is an edge file: it owns the socket. Everything it reports is a typed
 * {@linkcode XmppEvent}; everything it sends comes in as an {@linkcode XmppAction}.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { Backoff } from "./backoff.ts";
import type { XmppAction, XmppEvent } from "./events.ts";
import { parseJid } from "../jid/mod.ts";
import type { RoomStatus } from "./muc_rooms.ts";
import { buildRosterQuery, NS_ROSTER, parseRoster, type RosterItem } from "./rfc6121_roster.ts";
import { AdhocCommands, type CommandDirectory } from "./adhoc_commands.ts";
import { AgentProfile } from "./agent_profile.ts";
import { publishProfile } from "./publish_profile.ts";
import { type CursorFile, MamCatchUp } from "./mam_catch_up.ts";
import { FileUploader, UploadError, type UploadFile } from "./file_upload.ts";
import { itemNotFound } from "./_stanza_error.ts";
import { NS_DISCO_INFO } from "./xep_0030_disco.ts";
import { buildVersion, NS_VERSION } from "./xep_0092_version.ts";
import { XmppFatalError } from "./xmpp_fatal_error.ts";
import { type SessionDriver, XmppSession } from "./_session.ts";
import { errorText } from "./_socket_util.ts";
import type { StreamManager } from "./_stream_manager.ts";
import { xml, type XmlElement } from "./_xml.ts";
import { offersSm } from "./xep_0198_stream_management.ts";
import { parseStreamLimit } from "./xep_0478_stream_limits.ts";
import {
  bindResource,
  createXmppJsClient,
  type CredentialsFunction,
  type XmppJsClient,
  type XmppJsEntity,
} from "./_xmpp_client.ts";

export { XmppFatalError };

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
  /**
   * The largest stanza the agent sends; a longer message goes as several.
   * @default {65536}
   */
  maxStanzaBytes?: number;
  /**
   * How the agent describes itself (disco#info, caps in presence).
   * @default {new AgentProfile({ name: software.name })}
   */
  profile?: AgentProfile;
  /**
   * Where the position in the agent's archive is kept: with it, every new session reads the
   * messages that came while the agent was away (XEP-0313). @default {undefined} (no catch-up)
   */
  catchUp?: CursorFile;
  /**
   * Where files may be uploaded (XEP-0363): `host` or `host:port` entries. @default {undefined}
   * (no uploads)
   */
  uploadHosts?: readonly string[];
}

/**
 * One logical client session that survives disconnections.
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
  #domain: string;
  #session: XmppSession;
  #profile: AgentProfile;
  #commands = new AdhocCommands();
  #catchUp: MamCatchUp | undefined;
  #uploader: FileUploader | undefined;
  /** The vCard and avatar are published once per run, by the first session. */
  #published = false;

  constructor(options: ClientConnectionOptions) {
    this.#options = options;
    this.#profile = options.profile ?? new AgentProfile({ name: options.software.name });
    this.#domain = parseJid(options.jid).domain;
    const driver: SessionDriver = {
      create: (streams) => this.#create(streams),
      fatalReason,
      answerIqs: (entity) => this.#answerIqs(entity),
      started: (entity) => this.#started(entity as XmppJsClient),
      address: `${options.host}:${options.port}`,
      pingTarget: this.#domain,
      outbound: (action, element) => {
        // `from` is the server's to set on a client stream (actions may carry one for components).
        if (action.type !== "raw") delete element.attrs.from;
        return [element];
      },
      otherPresence: () => {},
      // RFC 6121 §4.6: the server tells every room of the unavailable presence.
      goodbye: () => [xml("presence", { type: "unavailable" })],
      inbound: (stanza) => this.#catchUp?.intercept(stanza) ?? false,
    };
    if (options.catchUp !== undefined) {
      this.#catchUp = new MamCatchUp({
        ownJid: options.jid,
        file: options.catchUp,
        logger: options.logger,
        receive: (message) => this.#session.receive(message),
      });
    }
    if (options.uploadHosts !== undefined) {
      this.#uploader = new FileUploader({
        domain: this.#domain,
        allowedHosts: options.uploadHosts,
        logger: options.logger,
      });
    }
    this.#session = new XmppSession(driver, {
      logger: options.logger,
      keepalive: options.keepalive,
      backoff: options.backoff,
      maxStanzaBytes: options.maxStanzaBytes,
    });
  }

  /** Sets the function that receives every event. */
  onEvent(handler: (event: XmppEvent) => void): void {
    this.#session.onEvent((event) => {
      this.#catchUp?.observe(event);
      handler(event);
      // A resumed session lost nothing; a new one reads what came meanwhile, after the
      // messages offline storage delivered on its presence.
      const entity = this.#session.entity;
      if (event.type === "online" && event.resumed !== true && entity !== undefined) {
        this.#uploader?.reset();
        void this.#catchUp?.run(entity);
      }
      // A room's archive, once in the room (its occupants known, so speakers are).
      if (event.type === "room_joined" && entity !== undefined) {
        void this.#catchUp?.runRoom(entity, event.room);
      }
    });
  }

  /** True while a session is established. */
  get online(): boolean {
    return this.#session.online;
  }

  /**
   * Connects and keeps the session up until {@linkcode stop}.
   *
   * @returns A promise that resolves after `stop()`.
   * @throws {XmppFatalError} When the server refuses the credentials or the link's security.
   */
  run(): Promise<void> {
    return this.#session.run();
  }

  /**
   * Sends an action now, or keeps it until the session is back (chat states are dropped).
   * `join` and `leave` change the set of rooms kept joined across reconnections.
   *
   * @throws {TypeError} For a raw action that is not one stanza, or a join to an invalid room.
   */
  send(action: XmppAction): void {
    this.#session.send(action);
  }

  /**
   * Resolves once the server has what was sent so far (acknowledged, with stream
   * management); waits for the session to be back when it is down.
   */
  delivered(): Promise<void> {
    return this.#session.delivered();
  }

  /** Offers the agent's commands as ad-hoc commands (XEP-0050); none until called. */
  offerCommands(directory: CommandDirectory): void {
    this.#commands.offer(directory);
  }

  /** The rooms the agent wants to be in, and whether it is in each now. */
  rooms(): RoomStatus[] {
    return this.#session.rooms();
  }

  /**
   * Uploads a file to the server's upload service (XEP-0363).
   *
   * @returns The URL the file can be fetched from.
   * @throws {UploadError} With a sentence that says why it could not be sent.
   */
  upload(file: UploadFile): Promise<string> {
    if (this.#uploader === undefined) {
      return Promise.reject(new UploadError("File uploads are off in this configuration"));
    }
    const entity = this.#session.entity;
    if (entity === undefined) {
      return Promise.reject(new UploadError("The agent is not connected to its server now"));
    }
    return this.#uploader.upload(entity, file);
  }

  /** Fetches the roster. */
  async roster(): Promise<RosterItem[]> {
    const entity = this.#session.entity;
    if (entity === undefined) return [];
    const result = await entity.iqCaller.request(
      xml("iq", { type: "get", id: crypto.randomUUID() }, buildRosterQuery()),
      30_000,
    );
    return parseRoster(result.getChild("query", NS_ROSTER));
  }

  /** Says goodbye to the server and stops reconnecting. */
  async stop(): Promise<void> {
    await this.#session.stop();
    await this.#catchUp?.flush();
  }

  #create(streams: StreamManager): XmppJsEntity {
    const { host, port } = this.#options;
    return createXmppJsClient({
      service: `xmpp://${host}:${port}`,
      domain: this.#domain,
      credentials: this.#credentials(),
      negotiate: (client, features) => this.#negotiate(client, features, streams),
      tlsVerify: this.#options.tlsVerify ?? true,
    });
  }

  /**
   * After authentication: resume the previous session when the server keeps it, else bind
   * a resource and enable stream management (XEP-0198 §4: only after binding). The stream
   * is reported online only then, so nothing the agent sends can precede `<enable/>`.
   */
  async #negotiate(
    client: XmppJsClient,
    features: XmlElement,
    streams: StreamManager,
  ): Promise<void> {
    const limit = parseStreamLimit(features);
    if (limit !== undefined) this.#session.serverLimit(limit);
    const sm = offersSm(features);
    if (sm && streams.resumable) {
      const jid = await streams.resume(client);
      if (jid !== undefined) {
        client._jid(jid);
        client._ready();
        return;
      }
      this.#options.logger.info("The server could not resume the session: starting a new one");
    }
    const jid = await bindResource(client, this.#options.resource);
    if (!sm) {
      streams.none();
    } else {
      try {
        await streams.enable(client, jid);
      } catch (error) {
        this.#options.logger.warn(`Stream management not enabled: ${errorText(error)}`);
        streams.none();
      }
    }
    client._ready();
  }

  async #started(client: XmppJsClient): Promise<string> {
    const jid = client.jid?.toString() ?? this.#options.jid;
    // Before the presence that carries the photo's hash, so that a client fetching it finds it.
    if (!this.#published) {
      this.#published = await publishProfile(client, this.#profile, this.#options.logger);
    }
    // Presence first: "Online" means messages to the bare JID now reach this session (before
    // it, a server keeps them in offline storage).
    await client.send(
      xml("presence", {}, xml("priority", {}, "1"), ...this.#profile.presenceChildren()),
    );
    this.#options.logger.info(`Online as ${jid} (${client.isSecure() ? "TLS" : "plaintext"})`);
    return jid;
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

  #answerIqs(client: XmppJsEntity): void {
    const { name, version } = this.#options.software;
    client.iqCallee.get(
      NS_DISCO_INFO,
      "query",
      (ctx) =>
        this.#profile.discoInfo(ctx.element.attrs.node) ?? this.#commands.discoInfo(ctx) ??
          itemNotFound(),
    );
    this.#commands.register(
      client,
      (ctx) => ctx.stanza.attrs.to ?? client.jid?.toString() ?? this.#options.jid,
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
