/**
 * Stream management (XEP-0198) for one logical client session across its streams: enables
 * it after resource binding, counts what is handled, answers and sends acknowledgement
 * requests, resumes a broken session and re-sends what the server did not get.
 *
 * Ordering is the whole point. Every state change happens synchronously, in the order
 * elements arrive: a stanza is counted once the session has handed it on (after the agent
 * has seen it), counting starts at `<enabled/>` and not a stanza earlier, and the outbound
 * count starts when `<enable/>` is written. Nothing else is sent between `<enable/>` and its
 * answer: the connection reports itself online only after it.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import { isMessageWithBody, OutboundQueue, type Outgoing } from "./_outbound_queue.ts";
import { errorText } from "./_socket_util.ts";
import type { XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";
import {
  buildAck,
  buildAckRequest,
  buildEnable,
  buildResume,
  failedCondition,
  isCountedStanza,
  isSm,
  nextH,
  parseEnabled,
  parseH,
} from "./xep_0198_stream_management.ts";

/** `<r/>` as written after an answer's stanza, in the same write. */
const ACK_REQUEST = buildAckRequest().toString();

/** Options for {@linkcode StreamManager}. */
export interface StreamManagerOptions {
  logger: Logger;
  /**
   * How long after writing a stanza to ask the server for an acknowledgement (one request
   * covers everything written meanwhile).
   * @default {500}
   */
  ackRequestDelayMs?: number;
  /**
   * How long the answer to a server's `<r/>` may wait for a stanza of the agent's to ride in
   * (a message is most often followed at once by `composing`): one write instead of two, for
   * the agent and the server. Nothing written by then, it goes alone.
   * @default {20}
   */
  ackAnswerDelayMs?: number;
  /**
   * How long a server that enabled stream management may leave the first acknowledgement
   * request of a stream unanswered before its acknowledgements are no longer waited for on
   * that stream (answers then count as delivered once written, as without stream management):
   * a server that never answers would otherwise hold every conversation's next event.
   * @default {10000}
   */
  silentServerMs?: number;
  /**
   * How long to wait for the answer to `<enable/>` or `<resume/>`.
   * @default {10000}
   */
  answerTimeoutMs?: number;
}

/** A session the server keeps for resumption. */
interface Resumable {
  id: string;
  jid: string;
}

/** Counts, acknowledges and resumes; owns the session's {@linkcode OutboundQueue}. */
export class StreamManager {
  /** The session's one outbound queue. */
  readonly queue: OutboundQueue = new OutboundQueue();
  #log: Logger;
  #ackDelayMs: number;
  #ackAnswerDelayMs: number;
  #silentServerMs: number;
  /** Whether the server has acknowledged anything on this stream. */
  #heard = false;
  /** Runs while the first acknowledgement request of a stream waits for its answer. */
  #silenceTimer: ReturnType<typeof setTimeout> | undefined;
  #answerTimeoutMs: number;
  #entity: XmppJsEntity | undefined;
  #resumable: Resumable | undefined;
  #inbound = 0;
  #counting = false;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  /** Stanzas written since the last acknowledgement request. */
  #unrequested = 0;
  /** The next write carries an acknowledgement request (`<r/>`) after its stanza. */
  #askWithWrite = false;
  /** The server asked for an acknowledgement; the next write carries it (or the timer sends it). */
  #answerTimer: ReturnType<typeof setTimeout> | undefined;
  #queuedAt = new WeakMap<XmlElement, number>();
  #answer: ((element: XmlElement) => void) | undefined;
  #resumedStream = false;
  /** The full JID bound on the stream where `<enable/>` was sent. */
  #pendingJid = "";

  constructor(options: StreamManagerOptions) {
    this.#log = options.logger;
    this.#ackDelayMs = options.ackRequestDelayMs ?? 500;
    this.#ackAnswerDelayMs = options.ackAnswerDelayMs ?? 20;
    this.#silentServerMs = options.silentServerMs ?? 10_000;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
  }

  /** True while the server keeps a session this manager can resume. */
  get resumable(): boolean {
    return this.#resumable !== undefined;
  }

  /** True when the current stream resumed the previous session. */
  get resumed(): boolean {
    return this.#resumedStream;
  }

  /** True when stream management is on for the current stream. */
  get enabled(): boolean {
    return this.#counting;
  }

  /**
   * Starts watching a new stream. Every stanza written on it, by the agent or by the
   * library (IQ answers), is recorded, so that the count matches the server's.
   */
  attach(entity: XmppJsEntity): void {
    this.#entity = entity;
    this.#counting = false;
    this.#resumedStream = false;
    this.#unrequested = 0;
    const send = entity.send.bind(entity);
    entity.send = (element: XmlElement) => {
      if (this.#entity === entity && isCountedStanza(element)) {
        this.queue.written({ element, queuedAt: this.#queuedAt.get(element) ?? Date.now() });
        this.#unrequested++;
        // An answer is what the agent waits to see acknowledged (the inbox keeps its message
        // until then): the request rides in the same write, costing no write of its own.
        if (this.#counting && this.queue.tracking && isMessageWithBody(element)) {
          this.#askWithWrite = true;
        }
        this.#scheduleAckRequest();
      }
      // xmpp.js writes the element within `send` (its outgoing middleware runs after): a
      // request not taken by that write is not carried by any other.
      const sent = send(element);
      this.#askWithWrite = false;
      return sent;
    };
    const write = entity.write.bind(entity);
    entity.write = (text: string) => {
      if (this.#entity !== entity) return write(text);
      // Counted when written: `h` is what has been handled by then, which the request covers.
      if (this.#answerTimer !== undefined) text += this.#takeOwedAck();
      if (this.#askWithWrite) {
        this.#askWithWrite = false;
        this.#unrequested = 0;
        text += ACK_REQUEST;
        this.#watchSilence(entity);
      }
      return write(text);
    };
    entity.on("nonza", (element) => {
      if (this.#entity === entity) this.#onNonza(entity, element);
    });
  }

  /**
   * Writes a stanza of the agent's on the current stream (`queuedAt`: when the agent
   * produced it, for a `<delay/>` if it has to be re-sent much later).
   */
  write(entity: XmppJsEntity, item: Outgoing): Promise<void> {
    this.#queuedAt.set(item.element, item.queuedAt);
    return entity.send(item.element);
  }

  /**
   * Resolves once the server has acknowledged every stanza queued or written so far (see
   * {@linkcode OutboundQueue.settled}); asks for the acknowledgement at once rather than
   * after the usual delay, since someone waits for it.
   */
  settled(): Promise<void> {
    const settled = this.queue.settled();
    // Asked already when nothing was written since the last request (an answer carries one).
    if (this.#unrequested > 0) this.#requestAck();
    return settled;
  }

  /** Counts one stanza received on the current stream and handed on. */
  handled(): void {
    if (this.#counting) this.#inbound = nextH(this.#inbound);
  }

  /**
   * Tries to resume the previous session on an authenticated stream.
   *
   * @returns The session's full JID when it was resumed, else `undefined` (start a new one).
   */
  async resume(entity: XmppJsEntity): Promise<string | undefined> {
    const previous = this.#resumable;
    if (previous === undefined) return undefined;
    const answer = await this.#exchange(entity, buildResume(previous.id, this.#inbound));
    return isSm(answer, "resumed") ? previous.jid : undefined;
  }

  /** Enables stream management on a freshly bound stream (`jid`: the bound full JID). */
  async enable(entity: XmppJsEntity, jid: string): Promise<void> {
    // XEP-0198 §4: our count starts when <enable/> is sent.
    this.queue.track();
    this.#pendingJid = jid;
    await this.#exchange(entity, buildEnable());
  }

  /**
   * This stream has no stream management (the server does not offer it, or did not answer
   * `<enable/>`). A session kept for resumption is gone with it.
   */
  none(): void {
    if (this.#resumable !== undefined) this.#restart(undefined);
    this.queue.untrack();
    this.#counting = false;
  }

  /**
   * The stream ended without a clean stop. A resumable session keeps its unacknowledged
   * stanzas for the resumption; otherwise the messages among them wait for the next session.
   */
  detach(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    this.#dropOwedAck();
    this.#stopWatchingSilence();
    this.#entity = undefined;
    this.#counting = false;
    this.#answer = undefined;
    if (this.#resumable === undefined && this.queue.tracking) this.#restart(undefined);
  }

  /** Before a clean close: tells the server what was handled; the session ends with it. */
  async close(entity: XmppJsEntity): Promise<void> {
    clearTimeout(this.#ackTimer);
    this.#dropOwedAck();
    this.#stopWatchingSilence();
    if (this.#counting) {
      try {
        await entity.send(buildAck(this.#inbound));
      } catch {
        // The stream is going anyway.
      }
    }
    this.#resumable = undefined;
    this.#counting = false;
  }

  #onNonza(entity: XmppJsEntity, element: XmlElement): void {
    if (isSm(element, "r")) {
      this.#oweAck(entity);
    } else if (isSm(element, "a")) {
      this.#heard = true;
      this.#stopWatchingSilence();
      // Not waited for any more on this stream (see #watchSilence): nothing is counted.
      if (this.queue.tracking) this.#acknowledged(parseH(element));
    } else if (isSm(element, "enabled")) {
      const enabled = parseEnabled(element);
      this.#counting = true;
      this.#heard = false;
      this.#inbound = 0;
      this.#resumable = enabled.resumable && enabled.id !== undefined
        ? { id: enabled.id, jid: this.#pendingJid }
        : undefined;
      const window = enabled.maxSeconds === undefined ? "" : ` for ${enabled.maxSeconds} s`;
      this.#log.debug(
        `Stream management on${enabled.resumable ? `, resumable${window}` : ", not resumable"}`,
      );
      this.#answered(element);
    } else if (isSm(element, "resumed")) {
      const h = parseH(element);
      this.#counting = true;
      this.#resumedStream = true;
      // Its `h` is an answer: this server acknowledges.
      this.#heard = true;
      const { overrun } = this.queue.resumeFrom(h ?? 0);
      if (h === undefined || overrun) {
        this.#log.warn(`The server resumed with an acknowledgement that does not fit (h=${h})`);
      }
      this.#answered(element);
    } else if (isSm(element, "failed")) {
      this.#log.info(`Stream management: ${failedCondition(element)}`);
      if (this.#resumable !== undefined) this.#restart(parseH(element));
      else this.queue.untrack();
      this.#counting = false;
      this.#answered(element);
    }
  }

  /** The old session is gone: keep its unacknowledged messages for the new one. */
  #restart(h: number | undefined): void {
    const kept = this.queue.restartFrom(h);
    this.#resumable = undefined;
    this.#inbound = 0;
    if (kept > 0) {
      this.#log.info(`Re-sending ${kept} message(s) the server may not have received`);
    }
  }

  /** Answers `<r/>` with the next write, or alone once the delay is over. */
  #oweAck(entity: XmppJsEntity): void {
    if (this.#answerTimer !== undefined) return;
    this.#answerTimer = setTimeout(() => {
      if (this.#entity !== entity) return;
      // Taken first, so that the write carrying it alone does not add it again.
      entity.write(this.#takeOwedAck()).catch(() => {});
    }, this.#ackAnswerDelayMs);
  }

  /** The owed `<a/>`, counted now, and no longer owed. */
  #takeOwedAck(): string {
    this.#dropOwedAck();
    return buildAck(this.#inbound).toString();
  }

  #dropOwedAck(): void {
    clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
  }

  #acknowledged(h: number | undefined): void {
    if (h === undefined) {
      this.#log.debug("Ignored an acknowledgement without a valid h");
      return;
    }
    const { overrun } = this.queue.acknowledge(h);
    if (overrun) this.#log.warn(`The server acknowledged more stanzas than were sent (h=${h})`);
  }

  #scheduleAckRequest(): void {
    if (!this.queue.tracking || this.#ackTimer !== undefined) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      if (this.#unrequested > 0) this.#requestAck();
    }, this.#ackDelayMs);
  }

  /** Asks now for an acknowledgement of what is unacknowledged, if anything is. */
  #requestAck(): void {
    const entity = this.#entity;
    if (entity === undefined || !this.#counting || this.queue.unacknowledged === 0) return;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    this.#unrequested = 0;
    this.#watchSilence(entity);
    entity.send(buildAckRequest()).catch((error: unknown) => {
      this.#log.debug(`Cannot ask for an acknowledgement: ${errorText(error)}`);
    });
  }

  /**
   * A request was sent: if it is the stream's first still unanswered, the server has that
   * long to answer before its acknowledgements stop being waited for on this stream. A server
   * that has answered once is only slow (a rate limit, a flood), never taken as silent.
   */
  #watchSilence(entity: XmppJsEntity): void {
    if (this.#heard || this.#silenceTimer !== undefined) return;
    this.#silenceTimer = setTimeout(() => {
      this.#silenceTimer = undefined;
      if (this.#entity !== entity || this.#heard || !this.queue.tracking) return;
      this.#log.warn(
        `The server enabled stream management but answered no acknowledgement request in ` +
          `${this.#silentServerMs / 1000} s: on this stream, what is written counts as ` +
          `delivered (a process killed now may lose the answers the server had not read)`,
      );
      // As on a stream without it: everything written is settled, and nothing is resumed
      // (the server's count of what it received cannot be trusted).
      this.queue.untrack();
      this.#resumable = undefined;
    }, this.#silentServerMs);
  }

  #stopWatchingSilence(): void {
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = undefined;
  }

  /** Writes a nonza and waits for `<enabled/>`, `<resumed/>` or `<failed/>`. */
  #exchange(entity: XmppJsEntity, request: XmlElement): Promise<XmlElement> {
    const { promise, resolve, reject } = Promise.withResolvers<XmlElement>();
    const timer = setTimeout(() => {
      this.#answer = undefined;
      reject(new Error(`No answer to <${request.name}/> within ${this.#answerTimeoutMs} ms`));
    }, this.#answerTimeoutMs);
    this.#answer = (element) => {
      clearTimeout(timer);
      this.#answer = undefined;
      resolve(element);
    };
    entity.send(request).catch((error: unknown) => {
      clearTimeout(timer);
      this.#answer = undefined;
      reject(error);
    });
    return promise;
  }

  #answered(element: XmlElement): void {
    this.#answer?.(element);
  }
}
