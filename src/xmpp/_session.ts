/**
 * What the client and the component connections share: one logical session over many
 * sockets (reconnection with backoff, fatal errors), the one outbound queue that keeps
 * stanzas while the link is down and until the server acknowledges them (XEP-0198, through
 * {@linkcode StreamManager}), keepalive pings, TCP_NODELAY, the room registry, and the
 * routing of inbound stanzas to typed events. The connection classes plug in what differs
 * through a {@linkcode SessionDriver}.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import { Backoff } from "./backoff.ts";
import type { ContactPresenceEvent, SendMessageAction, XmppAction, XmppEvent } from "./events.ts";
import { bareJid } from "../jid/mod.ts";
import {
  buildAcknowledgement,
  buildChatStateMessage,
  buildMessage,
  buildReactionMessage,
  parseMessage,
  parseReaction,
} from "./message.ts";
import { RoomRegistry, type RoomStatus } from "./muc_rooms.ts";
import { parseRawStanza } from "./raw_stanza.ts";
import { buildPing } from "./xep_0199_ping.ts";
import { XmppFatalError } from "./xmpp_fatal_error.ts";
import { splitBody } from "./split_body.ts";
import { guardInput } from "./_input_guard.ts";
import { StreamManager } from "./_stream_manager.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";
import { destroySocket, errorText, setNoDelay, withTimeout } from "./_socket_util.ts";
import { NS_DELAY } from "./xep_0203_delay.ts";
import { isCountedStanza } from "./xep_0198_stream_management.ts";

/** What differs between connection kinds. */
export interface SessionDriver {
  /**
   * Creates the library entity for one connection attempt. A client stream negotiates
   * stream management through `streams`; a component stream has none.
   */
  create(streams: StreamManager): XmppJsEntity;
  /** The message of the fatal error an attempt's failure means, or `undefined` to retry. */
  fatalReason(error: unknown): string | undefined;
  /** Registers the IQ handlers on a fresh entity. */
  answerIqs(entity: XmppJsEntity): void;
  /** Runs once the stream is up (logs, initial presence); returns the JID to report. */
  started(entity: XmppJsEntity): Promise<string>;
  /** The server's address, for log lines. */
  address: string;
  /** Where keepalive pings go. */
  pingTarget: string;
  /** The stanzas that carry out an action built as `element` (adds `from`, follow-ups). */
  outbound(action: XmppAction, element: XmlElement): XmlElement[];
  /**
   * Handles a presence that is not about a room, a subscription request or a probe (an
   * `unsubscribe` comes here too, after its event).
   */
  otherPresence(stanza: XmlElement, send: (element: XmlElement) => void): void;
  /** What to send before closing the stream. */
  goodbye(rooms: RoomStatus[]): XmlElement[];
  /** Takes an inbound stanza out of the normal flow (e.g. archive results): `true` if taken. */
  inbound?(stanza: XmlElement): boolean;
}

/** Options for {@linkcode XmppSession}. */
export interface SessionOptions {
  logger: Logger;
  /** Keepalive pings; `intervalMs` 0 disables them. */
  keepalive: { intervalMs: number; timeoutMs: number };
  /** Reconnection delays. @default {new Backoff()} */
  backoff?: Backoff | undefined;
  /** The address rooms are joined from (component mode). */
  roomFrom?: string | undefined;
  /**
   * The largest stanza the agent sends: a longer message is split into several. The
   * server's own limit, when it advertises one (XEP-0478), lowers it.
   * @default {65536}
   */
  maxStanzaBytes?: number | undefined;
  /**
   * A message that waited this long for a stream (or for the server's acknowledgement) is
   * sent with a XEP-0203 `<delay/>` stamped with the time the agent wrote it.
   * @default {5000}
   */
  delayStampAfterMs?: number;
}

/** One logical XMPP session that survives disconnections. */
export class XmppSession {
  #driver: SessionDriver;
  #options: SessionOptions;
  #log: Logger;
  #backoff: Backoff;
  #rooms: RoomRegistry;
  #handler: (event: XmppEvent) => void = () => {};
  #entity: XmppJsEntity | undefined;
  #online = false;
  /**
   * Whether what waited for this stream has been written: until then, new stanzas wait
   * behind it (the session's set-up runs while it is already online).
   */
  #flushed = false;
  #stopped = false;
  #streams: StreamManager;
  #maxStanzaBytes: number;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #done = Promise.withResolvers<void>();

  constructor(driver: SessionDriver, options: SessionOptions) {
    this.#driver = driver;
    this.#options = options;
    this.#log = options.logger;
    this.#backoff = options.backoff ?? new Backoff();
    this.#streams = new StreamManager({ logger: options.logger });
    this.#maxStanzaBytes = options.maxStanzaBytes ?? 65_536;
    this.#rooms = new RoomRegistry({
      send: (element) => this.#write(element),
      request: (iq, ms) =>
        this.entity?.iqCaller.request(iq, ms) ?? Promise.reject(new Error("Offline")),
      emit: (event) => this.#handler(event),
      logger: options.logger,
      ...(options.roomFrom === undefined ? {} : { from: options.roomFrom }),
    });
  }

  /** Sets the function that receives every event. */
  onEvent(handler: (event: XmppEvent) => void): void {
    this.#handler = handler;
  }

  /** True while a session is established. */
  get online(): boolean {
    return this.#online;
  }

  /** The rooms the agent wants to be in, and whether it is in each. */
  rooms(): RoomStatus[] {
    return this.#rooms.list();
  }

  /** The current library entity (for IQ requests), if connected. */
  get entity(): XmppJsEntity | undefined {
    return this.#online ? this.#entity : undefined;
  }

  /** Connects and keeps the session up until {@linkcode stop}; rejects on a fatal error. */
  run(): Promise<void> {
    void this.#attempt();
    return this.#done.promise;
  }

  /**
   * Sends an action now, or keeps it until the session is back (chat states and
   * announcements are dropped: they are stale by then, and the agent announces anew).
   *
   * @throws {TypeError} For a raw action that is not one stanza, or a join to an invalid room.
   */
  send(action: XmppAction): void {
    if (action.type === "join") return this.#rooms.join(action);
    if (action.type === "leave") return this.#rooms.leave(action.room);
    if (action.type === "raw") parseRawStanza(action.xml);
    const entity = this.entity;
    // A receipt or a marker is stale after a reconnect too: the message may come again.
    const keep = action.type !== "chat_state" && action.type !== "announce" &&
      action.type !== "acknowledge";
    if (entity === undefined && !keep) return;
    const queuedAt = Date.now();
    const elements = action.type === "message"
      ? this.#buildMessages(action)
      : [this.#build(action)];
    for (const built of elements) {
      for (const element of this.#driver.outbound(action, built)) {
        const item = { element, queuedAt };
        if (entity === undefined || !this.#flushed) this.#streams.queue.hold(item);
        else this.#writeItem(entity, item);
      }
    }
  }

  /**
   * Resolves once the server has what was sent so far: acknowledged with stream management
   * (XEP-0198), or written on a stream without it. While the session is down it waits for
   * the next one; stanzas sent later are not waited for.
   */
  delivered(): Promise<void> {
    return this.#streams.settled();
  }

  /**
   * The server advertised its largest stanza (XEP-0478): messages are split to fit it, if
   * it is below the configured size.
   */
  serverLimit(maxBytes: number): void {
    const configured = this.#options.maxStanzaBytes ?? 65_536;
    this.#maxStanzaBytes = Math.min(configured, maxBytes);
  }

  /** Says goodbye to the server and stops reconnecting. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    const entity = this.#entity;
    const wasOnline = this.#online;
    this.#online = false;
    const goodbye = wasOnline ? this.#driver.goodbye(this.#rooms.list()) : [];
    this.#rooms.offline();
    if (entity !== undefined) {
      try {
        for (const element of goodbye) await withTimeout(entity.send(element), 1000);
        await withTimeout(this.#streams.close(entity), 1000);
        await withTimeout(entity.stop(), 2000);
        // Closed cleanly: the server read everything written before the close, acknowledged
        // or not (what never got a stream still waits).
        this.#streams.queue.untrack();
      } catch {
        destroySocket(entity.socket);
      }
      entity.removeAllListeners();
    }
    this.#done.resolve();
  }

  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    const entity = this.#driver.create(this.#streams);
    // Reconnection is ours (backoff, fatal errors, resumption), not the library's.
    entity.reconnect?.stop();
    this.#entity = entity;
    this.#streams.attach(entity);
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      this.#ended(entity, reason);
    };
    entity.on("status", (status) => {
      // Without TCP_NODELAY a chat state followed by a quick reply waits ~40 ms for the
      // peer's delayed ACK (Nagle): set it as soon as the socket exists.
      if (status === "connect") setNoDelay(entity.socket);
    });
    let seen: XmlElement | undefined;
    guardInput(entity, {
      broken: (condition, detail) => {
        this.#log.warn(
          `The server sent XML that breaks the stream (${detail}): ` +
            `closing it with <${condition}/>`,
        );
      },
      dropped: (stanza, reason) => {
        this.#log.warn(`Dropped a <${stanza.name}/> from the server: ${reason}`);
        this.#streams.handled();
      },
      failed: (element, error) => {
        this.#log.warn(`Could not handle a <${element.name}/>: ${errorText(error)}`);
        // Received all the same: the count must match the server's.
        if (isCountedStanza(element) && seen !== element) this.#streams.handled();
      },
    });
    entity.on("stanza", (stanza) => {
      seen = stanza;
      try {
        this.#onStanza(stanza);
      } finally {
        // Counted once handed on: an acknowledgement covers only what the agent has seen.
        this.#streams.handled();
      }
    });
    entity.on("error", (error) => this.#onError(error));
    entity.on("disconnect", () => end("connection closed"));
    this.#driver.answerIqs(entity);
    try {
      await entity.start();
    } catch (error) {
      const fatal = this.#driver.fatalReason(error);
      if (fatal !== undefined) {
        ended = true;
        this.#stopped = true;
        entity.removeAllListeners();
        entity.on("error", () => {});
        destroySocket(entity.socket);
        this.#done.reject(new XmppFatalError(fatal, { cause: error }));
        return;
      }
      this.#log.warn(`Cannot connect to ${this.#driver.address}: ${errorText(error)}`);
      end(errorText(error));
      return;
    }
    if (this.#stopped) return;
    this.#online = true;
    this.#backoff.connected(Date.now());
    if (this.#streams.resumed) {
      const jid = entity.jid?.toString() ?? "";
      this.#log.info(`Resumed the session as ${jid}`);
      this.#flush(entity);
      this.#startKeepalive(entity);
      this.#handler({ type: "online", jid, resumed: true });
      return;
    }
    let jid: string;
    try {
      jid = await this.#driver.started(entity);
    } catch (error) {
      this.#log.warn(`Session set-up failed: ${errorText(error)}`);
      destroySocket(entity.socket);
      return;
    }
    if (this.#entity !== entity || !this.#online) return;
    // A new session: the rooms of the old one are left (a resumed one keeps them). Rooms
    // first: a queued groupchat message needs the room joined, and the server processes
    // this session's stanzas in order.
    this.#rooms.offline();
    this.#rooms.online();
    this.#flush(entity);
    this.#startKeepalive(entity);
    this.#handler({ type: "online", jid });
  }

  #ended(entity: XmppJsEntity, reason: string): void {
    if (entity !== this.#entity || this.#stopped) return;
    const wasOnline = this.#online;
    this.#online = false;
    this.#flushed = false;
    clearInterval(this.#pingTimer);
    this.#streams.detach();
    // A session the server keeps for resumption keeps its rooms too.
    if (!this.#streams.resumable) this.#rooms.offline();
    entity.removeAllListeners();
    entity.on("error", () => {});
    destroySocket(entity.socket);
    this.#backoff.disconnected(Date.now());
    const delay = this.#backoff.next();
    if (wasOnline) {
      const resume = this.#streams.resumable ? " to resume the session" : "";
      this.#log.warn(`Disconnected (${reason}); reconnecting${resume} in ${delay / 1000} s`);
      this.#handler({ type: "offline", reason });
    } else {
      this.#log.info(`Retrying in ${delay / 1000} s`);
    }
    this.#retryTimer = setTimeout(() => void this.#attempt(), delay);
  }

  #onError(error: Error): void {
    // RFC 6120 §4.9: the server says why it ends the stream; an operator needs to see it.
    const { condition, text } = error as Error & { condition?: string; text?: string };
    if (error.name === "StreamError") {
      this.#log.warn(
        `Stream error from the server: ${condition ?? "unknown"}` +
          (text ? ` (${text})` : ""),
      );
      return;
    }
    this.#log.debug(`Connection error: ${errorText(error)}`);
  }

  /**
   * Handles a message that did not come on the stream as such (one read from an archive) as
   * if it had: the same parsing, the same events.
   */
  receive(message: XmlElement): void {
    const event = this.#parseMessage(message);
    if (event !== undefined) this.#handler(event);
  }

  #onStanza(stanza: XmlElement): void {
    if (this.#driver.inbound?.(stanza) === true) return;
    if (stanza.is("message")) {
      const event = this.#parseMessage(stanza);
      if (event !== undefined) this.#handler(event);
    } else if (stanza.is("presence")) {
      if (this.#rooms.handlePresence(stanza)) return;
      const { from, to, type } = stanza.attrs;
      if (type === "subscribe" || type === "unsubscribe") {
        const bare = bareJid(from ?? "");
        if (bare === undefined) return;
        this.#handler(to ? { type, bare, to } : { type, bare });
        if (type === "subscribe") return;
      }
      if (type === "probe") {
        const bare = bareJid(from ?? "");
        if (bare !== undefined && from && to) this.#handler({ type, from, bare, to });
        return;
      }
      if ((type === undefined || type === "unavailable") && from !== undefined) {
        const contact = contactPresence(stanza, from, this.#entity?.jid?.toString());
        if (contact !== undefined) this.#handler(contact);
      }
      this.#driver.otherPresence(stanza, (element) => this.#write(element));
    }
  }

  #parseMessage(stanza: XmlElement): XmppEvent | undefined {
    const type = stanza.attrs.type ?? "normal";
    if (type === "error" || type === "headline") return undefined;
    if (this.#rooms.handleInvitation(stanza)) return undefined;
    if (type === "groupchat") return this.#rooms.handleGroupchat(stanza);
    return this.#rooms.throughRoom(parseReaction(stanza) ?? parseMessage(stanza));
  }

  #write(element: XmlElement): void {
    const entity = this.entity;
    if (entity === undefined) return;
    entity.send(element).catch((error: unknown) => {
      this.#log.warn(`Cannot send <${element.name}/>: ${errorText(error)}`);
    });
  }

  #writeItem(entity: XmppJsEntity, item: { element: XmlElement; queuedAt: number }): void {
    this.#streams.write(entity, item).catch((error: unknown) => {
      // With stream management the stanza is in the unacknowledged part of the queue and
      // goes again after the reconnect; without, keep it for the next session.
      if (this.#streams.enabled) return;
      this.#log.warn(`Send failed, keeping it for the next session: ${errorText(error)}`);
      this.#streams.queue.hold(item);
    });
  }

  /** Writes what waited for this stream, oldest first. */
  #flush(entity: XmppJsEntity): void {
    this.#flushed = true;
    const pending = this.#streams.queue.drain();
    if (pending.length === 0) return;
    this.#log.info(`Sending ${pending.length} queued stanza(s)`);
    const late = Date.now() - (this.#options.delayStampAfterMs ?? 5000);
    for (const item of pending) {
      if (item.queuedAt < late) stampDelay(item.element, item.queuedAt, entity);
      this.#writeItem(entity, item);
    }
  }

  #startKeepalive(entity: XmppJsEntity): void {
    const { intervalMs, timeoutMs } = this.#options.keepalive;
    if (intervalMs <= 0) return;
    let waiting = false;
    const to = this.#driver.pingTarget;
    this.#pingTimer = setInterval(async () => {
      if (waiting || entity !== this.#entity || !this.#online) return;
      waiting = true;
      try {
        const ping = xml("iq", { type: "get", to, id: crypto.randomUUID() }, buildPing());
        await entity.iqCaller.request(ping, timeoutMs);
      } catch (error) {
        // An error reply still proves the link is alive; only silence means it is dead.
        if (error instanceof Error && error.name === "TimeoutError") {
          this.#log.warn(`No answer to keepalive ping within ${timeoutMs} ms: link is dead`);
          destroySocket(entity.socket);
        }
      } finally {
        waiting = false;
      }
    }, intervalMs);
  }

  /**
   * The stanzas of a message: one, or several when the body would make a stanza larger
   * than the server takes (the first keeps the action's id, the last its chat state).
   */
  #buildMessages(action: SendMessageAction): XmlElement[] {
    const envelope = buildMessage({ ...action, body: "" }, crypto.randomUUID());
    const budget = this.#maxStanzaBytes - utf8Size(envelope.toString()) - STANZA_MARGIN_BYTES;
    const bodies = splitBody(action.body, Math.max(budget, 1024));
    if (bodies.length > 1) {
      this.#log.info(
        `Sending a long answer as ${bodies.length} messages (stanzas of at most ` +
          `${this.#maxStanzaBytes} bytes)`,
      );
    }
    return bodies.map((body, i) => {
      const id = i === 0 && action.id !== undefined ? action.id : crypto.randomUUID();
      if (action.messageType === "groupchat") this.#rooms.rememberSent(action.to, id);
      const last = i === bodies.length - 1;
      // The last part keeps the chat state; only the first corrects or replies.
      const { chatState: _, replaces: __, reply: ___, ...rest } = action;
      const part = i === 0 ? { ...action, body } : { ...rest, body };
      if (!last) delete part.chatState;
      return buildMessage(part, id);
    });
  }

  #build(action: Exclude<XmppAction, { type: "join" | "leave" | "message" }>): XmlElement {
    const id = crypto.randomUUID();
    switch (action.type) {
      case "chat_state":
        return buildChatStateMessage(action, id);
      case "acknowledge":
        return buildAcknowledgement(action, id);
      case "react":
        return buildReactionMessage(action, id);
      case "subscribe":
      case "subscribed":
        return xml("presence", { to: action.to, from: action.from, type: action.type });
      case "announce":
        return xml("presence", { to: action.to, from: action.from });
      case "raw":
        return parseRawStanza(action.xml);
    }
  }
}

/**
 * Room left in a stanza for what the server adds on the way (a full `from`, a XEP-0359
 * stanza-id, a delay stamp).
 */
const STANZA_MARGIN_BYTES = 512;

function utf8Size(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * XEP-0203: a message that waited is stamped with when the agent wrote it (XEP-0198 §4
 * recommends it for re-sent stanzas), once.
 */
function stampDelay(element: XmlElement, queuedAt: number, entity: XmppJsEntity): void {
  if (element.name !== "message" || element.getChild("delay", NS_DELAY) !== undefined) return;
  const from = entity.jid?.toString();
  element.append(
    xml("delay", { xmlns: NS_DELAY, stamp: new Date(queuedAt).toISOString(), from }),
  );
}

/**
 * A contact's availability (RFC 6121 §4): a presence without a type (available) or
 * `unavailable`, from someone else than the agent's own account (its other resources).
 */
function contactPresence(
  stanza: XmlElement,
  from: string,
  own: string | undefined,
): ContactPresenceEvent | undefined {
  const bare = bareJid(from);
  if (bare === undefined || (own !== undefined && bareJid(own) === bare)) return undefined;
  const available = stanza.attrs.type !== "unavailable";
  const to = stanza.attrs.to;
  return { type: "presence", from, bare, available, ...(to ? { to } : {}) };
}
