/**
 * The session's one outbound queue: stanzas waiting for a stream to be written on, and
 * stanzas written on a stream with stream management (XEP-0198) that the server has not
 * acknowledged yet. After a resumption the unacknowledged ones are written again, after a
 * failed one the messages among them are; either way they go out before anything newer, so
 * the order the agent produced them in is the order the server sees.
 *
 * {@linkcode OutboundQueue.settled} tells when the server has what was queued so far: the agent
 * marks a message handled (in its inbox) only then, since an answer written to a socket is
 * not yet an answer the server has (a process killed meanwhile loses it).
 *
 * Pure bookkeeping: it never writes anything itself.
 *
 * @module
 */
import { hDistance } from "./xep_0198_stream_management.ts";
import { NS_REACTIONS } from "./xep_0444_reactions.ts";
import type { XmlElement } from "./_xml.ts";

/** A stanza on its way out. */
export interface Outgoing {
  element: XmlElement;
  /** When the agent produced it (milliseconds since the epoch). */
  queuedAt: number;
}

/** What an acknowledgement did. */
export interface AckResult {
  /** How many written stanzas it acknowledged. */
  acknowledged: number;
  /**
   * True when the server acknowledged more than was written on the stream: a protocol error
   * on its side (everything written counts as acknowledged then).
   */
  overrun: boolean;
}

/**
 * Waiting and unacknowledged stanzas, in the order they were produced.
 *
 * @example
 * ```ts
 * const queue = new OutboundQueue();
 * queue.track();                       // stream management enabled on this stream
 * queue.written({ element, queuedAt: Date.now() });
 * queue.acknowledge(1);                // the server's <a h='1'/>
 * ```
 */
export class OutboundQueue {
  #waiting: Outgoing[] = [];
  #unacked: Outgoing[] = [];
  #acked = 0;
  #tracking = false;
  /** Who waits in {@linkcode settled}, each with the stanzas it still waits for. */
  #waiters: { elements: Set<XmlElement>; resolve: () => void }[] = [];

  /** True while written stanzas are kept until the server acknowledges them. */
  get tracking(): boolean {
    return this.#tracking;
  }

  /** How many stanzas wait for a stream. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** How many written stanzas the server has not acknowledged. */
  get unacknowledged(): number {
    return this.#unacked.length;
  }

  /** Keeps a stanza until a stream is up. */
  hold(item: Outgoing): void {
    this.#waiting.push(item);
  }

  /** Takes everything that waits, oldest first, to be written now. */
  drain(): Outgoing[] {
    const items = this.#waiting;
    this.#waiting = [];
    return items;
  }

  /** Records a stanza written on the current stream. */
  written(item: Outgoing): void {
    if (this.#tracking) this.#unacked.push(item);
    else this.#settle([item]);
  }

  /**
   * Resolves once every stanza waiting or unacknowledged now is settled: acknowledged by the
   * server, written on a stream without stream management (nothing more can be known), or
   * dropped by a new session (a chat state, a presence). Stanzas queued later are not waited
   * for.
   */
  settled(): Promise<void> {
    const elements = new Set([...this.#waiting, ...this.#unacked].map((item) => item.element));
    if (elements.size === 0) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiters.push({ elements, resolve });
    return promise;
  }

  /**
   * Starts counting on a stream where stream management was just enabled: the server's
   * count starts at zero. Whatever was unacknowledged on an older stream must have been
   * dealt with first ({@linkcode resumeFrom} or {@linkcode restartFrom}).
   */
  track(): void {
    this.#settle(this.#unacked);
    this.#tracking = true;
    this.#acked = 0;
    this.#unacked = [];
  }

  /** This stream has no stream management: written stanzas are not kept. */
  untrack(): void {
    this.#settle(this.#unacked);
    this.#tracking = false;
    this.#acked = 0;
    this.#unacked = [];
  }

  /** Drops the stanzas the server's `h` acknowledges. */
  acknowledge(h: number): AckResult {
    const count = hDistance(this.#acked, h);
    const overrun = count > this.#unacked.length;
    const acknowledged = Math.min(count, this.#unacked.length);
    this.#settle(this.#unacked.splice(0, acknowledged));
    this.#acked = h;
    return { acknowledged, overrun };
  }

  /**
   * The session was resumed and the server had handled `h` of our stanzas: the rest are
   * put back in front of what waits, to be written again on the resumed stream, where
   * counting goes on.
   */
  resumeFrom(h: number): AckResult {
    const result = this.acknowledge(h);
    this.#waiting = [...this.#unacked, ...this.#waiting];
    this.#unacked = [];
    return result;
  }

  /**
   * The old session is gone (resumption failed, or the stream ended without resumption):
   * the messages the server did not acknowledge — all written since the last `h` known, or
   * since `h` when the server told it — are put back in front of what waits, for the next
   * session (reactions too). Presences, IQs, chat states, receipts and markers are dropped:
   * the new session sends its own.
   *
   * @returns How many messages were kept.
   */
  restartFrom(h?: number): number {
    if (h !== undefined) this.acknowledge(h);
    const kept = this.#unacked.filter((item) => isMessageWithBody(item.element));
    this.#settle(this.#unacked.filter((item) => !kept.includes(item)));
    this.#waiting = [...kept, ...this.#waiting];
    this.#tracking = false;
    this.#acked = 0;
    this.#unacked = [];
    return kept.length;
  }

  /** These stanzas are settled: whoever waited only for settled ones is told. */
  #settle(items: readonly Outgoing[]): void {
    if (this.#waiters.length === 0 || items.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => {
      for (const item of items) waiter.elements.delete(item.element);
      if (waiter.elements.size > 0) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** A message that says something: a body, or a reaction (XEP-0444), not a state or marker. */
export function isMessageWithBody(element: XmlElement): boolean {
  return element.name === "message" &&
    (element.getChild("body") !== undefined ||
      element.getChild("reactions", NS_REACTIONS) !== undefined);
}
