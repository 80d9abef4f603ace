/**
 * The agent as an external component (XEP-0114): it owns a whole domain, so users talk to
 * `anything@agent.example.org` (or the bare domain) and the agent answers from the address
 * they wrote to. The component owns presence too: it follows an accepted subscription with
 * its available presence, sends it to whom the agent asks (`announce`: contacts on connect,
 * answers to probes), tells a contact that unsubscribes that it is gone, and when it stops
 * tells everyone it told that it leaves. Reconnection, outbox, keepalive and
 * rooms are shared with the client connection ({@linkcode XmppSession}).
 *
 * Rooms are joined from {@linkcode ComponentConnectionOptions.roomJid} (`agent@<domain>` by
 * default): a room needs one stable real JID for the agent's occupant.
 *
 * @see https://xmpp.org/extensions/xep-0114.html
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { Backoff } from "./backoff.ts";
import type { XmppAction, XmppEvent } from "./events.ts";
import { bareJid, parseJid } from "../jid/mod.ts";
import type { RoomStatus } from "./muc_rooms.ts";
import { AdhocCommands, type CommandDirectory } from "./adhoc_commands.ts";
import { AgentProfile } from "./agent_profile.ts";
import { NS_DISCO_INFO } from "./xep_0030_disco.ts";
import { buildLeavePresence } from "./xep_0045_muc.ts";
import { NS_VCARD_TEMP } from "./xep_0054_vcard_temp.ts";
import { buildVersion, NS_VERSION } from "./xep_0092_version.ts";
import { NS_PING } from "./xep_0199_ping.ts";
import { itemNotFound } from "./_stanza_error.ts";
import { type SessionDriver, XmppSession } from "./_session.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";
import { type CreateXmppJsComponent, loadXmppJsComponent } from "./_xmpp_component.ts";

/** Options for {@linkcode ComponentConnection}. */
export interface ComponentConnectionOptions {
  /** Address of the server's component port. */
  host: string;
  /** The component port (Prosody's default is 5347). */
  port: number;
  /** The component's domain, e.g. `agent.example.org`. */
  domain: string;
  /** The shared secret configured for the domain on the server. */
  secret: string;
  /** The address rooms are joined from. @default {`agent@${domain}`} */
  roomJid?: string;
  /** Keepalive pings (sent to the component's own domain, a round trip through the server). */
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
   * @default {new AgentProfile({ name: software.name, mode: "component" })}
   */
  profile?: AgentProfile;
}

/** The most contacts told "available" that the goodbye remembers. */
const MAX_ANNOUNCED = 10_000;

/**
 * One logical component session that survives disconnections; same surface as
 * {@linkcode ClientConnection}.
 *
 * @example
 * ```ts
 * const connection = new ComponentConnection(options);
 * connection.onEvent((event) => console.log(event.type));
 * await connection.run(); // resolves after stop(), rejects on a wrong secret
 * ```
 */
export class ComponentConnection {
  #options: ComponentConnectionOptions;
  #domain: string;
  #roomJid: string;
  #session: XmppSession;
  /** Set by `run()`, before the session's first connection attempt. */
  #create: CreateXmppJsComponent | undefined;
  #profile: AgentProfile;
  #commands = new AdhocCommands();
  /**
   * Who was told the component is available (bare JIDs), and by which address: told it leaves
   * on stop. Bounded: past {@linkcode MAX_ANNOUNCED} the oldest are dropped.
   */
  #announced = new Map<string, { to: string; from: string }>();

  /** @throws {TypeError} When `domain` or `roomJid` is not a valid JID. */
  constructor(options: ComponentConnectionOptions) {
    this.#options = options;
    this.#profile = options.profile ??
      new AgentProfile({ name: options.software.name, mode: "component" });
    this.#domain = parseJid(options.domain).bare;
    this.#roomJid = parseJid(options.roomJid ?? `agent@${this.#domain}`).bare;
    const driver: SessionDriver = {
      create: () =>
        this.#create!({
          service: `xmpp://${options.host}:${options.port}`,
          domain: this.#domain,
          password: options.secret,
        }),
      fatalReason: (error) => this.#fatalReason(error),
      answerIqs: (entity) => this.#answerIqs(entity),
      started: () => {
        options.logger.info(`Online as component ${this.#domain}`);
        return Promise.resolve(this.#domain);
      },
      address: `${options.host}:${options.port}`,
      pingTarget: this.#domain,
      outbound: (action, element) => this.#outbound(action, element),
      otherPresence: (stanza, send) => {
        const { from, to, type } = stanza.attrs;
        const contact = bareJid(from ?? "");
        if (type !== "unsubscribe" || contact === undefined || !to) return;
        // RFC 6121 §3.3.3: a contact who no longer subscribes gets the address's unavailable
        // presence, and nothing more from it. Others were never told anything.
        if (this.#announced.delete(announcedKey(contact, to))) {
          send(xml("presence", { from: to, to: contact, type: "unavailable" }));
        }
      },
      goodbye: (rooms) => [
        ...rooms.filter((r) => r.joined).map((r) =>
          buildLeavePresence(r.room, r.nick, this.#roomJid)
        ),
        ...[...this.#announced.values()].map(({ to, from }) =>
          xml("presence", { from, to, type: "unavailable" })
        ),
      ],
    };
    this.#session = new XmppSession(driver, {
      logger: options.logger,
      keepalive: options.keepalive,
      backoff: options.backoff,
      maxStanzaBytes: options.maxStanzaBytes,
      roomFrom: this.#roomJid,
    });
  }

  /** The address rooms are joined from. */
  get roomJid(): string {
    return this.#roomJid;
  }

  /** Sets the function that receives every event. */
  onEvent(handler: (event: XmppEvent) => void): void {
    this.#session.onEvent(handler);
  }

  /** True while the component is connected. */
  get online(): boolean {
    return this.#session.online;
  }

  /**
   * Connects and keeps the component up until {@linkcode stop}.
   *
   * @returns A promise that resolves after `stop()`.
   * @throws {XmppFatalError} When the server refuses the secret or does not know the domain.
   */
  async run(): Promise<void> {
    this.#create ??= await loadXmppJsComponent();
    return await this.#session.run();
  }

  /**
   * Sends an action now, or keeps it until the component is back. Every stanza carries
   * `from`: the action's, else the component domain (room traffic: {@linkcode roomJid}).
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

  /** Stops reconnecting and closes the stream after leaving the rooms. */
  stop(): Promise<void> {
    return this.#session.stop();
  }

  #outbound(action: XmppAction, element: XmlElement): XmlElement[] {
    const room = (action.type === "message" || action.type === "chat_state") &&
      action.messageType === "groupchat";
    const from = ("from" in action ? action.from : undefined) ??
      (room ? this.#roomJid : this.#domain);
    if (action.type === "raw") return [element];
    element.attrs.from = from;
    if (action.type === "announce") return [this.#announce(action.to, from)];
    // A component has no server-side presence: approving a subscription must be followed by
    // the presence the user just subscribed to, or the contact stays offline in their roster.
    if (action.type === "subscribed") return [element, this.#announce(action.to, from)];
    return [element];
  }

  /** The available presence of `from` for `to`, remembered (by bare JID) for the goodbye. */
  #announce(to: string, from: string): XmlElement {
    const contact = bareJid(to) ?? to;
    const key = announcedKey(contact, from);
    this.#announced.delete(key);
    this.#announced.set(key, { to: contact, from });
    for (const oldest of this.#announced.keys()) {
      if (this.#announced.size <= MAX_ANNOUNCED) break;
      this.#announced.delete(oldest);
    }
    return xml("presence", { from, to }, ...this.#profile.presenceChildren());
  }

  #answerIqs(entity: XmppJsEntity): void {
    const { name, version } = this.#options.software;
    entity.iqCallee.get(NS_DISCO_INFO, "query", (ctx) => {
      const domain = !(ctx.stanza.attrs.to ?? "").includes("@");
      return this.#profile.discoInfo(ctx.element.attrs.node, { domain }) ??
        this.#commands.discoInfo(ctx) ?? itemNotFound();
    });
    this.#commands.register(entity, (ctx) => ctx.stanza.attrs.to ?? this.#domain);
    entity.iqCallee.get(NS_VERSION, "query", () => buildVersion(name, version));
    entity.iqCallee.get(NS_VCARD_TEMP, "vCard", () => this.#profile.vcard());
    entity.iqCallee.get(NS_PING, "ping", () => ({}));
  }

  #fatalReason(error: unknown): string | undefined {
    if (!(error instanceof Error)) return undefined;
    const condition = (error as Error & { condition?: string }).condition;
    if (condition === "not-authorized") {
      return `The server refused the component secret for "${this.#domain}": ` +
        "check the component's secret against the server's component_secret";
    }
    if (condition === "host-unknown" || condition === "improper-addressing") {
      return `The server does not serve the component domain "${this.#domain}" (${condition})`;
    }
    return undefined;
  }
}

/** The key of a contact told by one address (bare JIDs; addresses compare without case). */
function announcedKey(to: string, from: string): string {
  return `${to} ${from}`.toLowerCase();
}
