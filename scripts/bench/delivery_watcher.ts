/**
 * The receiving end of the events-from-outside phases: a logged-in XMPP client that notes,
 * for every message with a body from one sender, when it arrived, under a key taken from the
 * message (a delivery id in its body, its stanza id). A key seen twice is counted once, as a
 * duplicate.
 *
 * Times are epoch milliseconds with sub-millisecond precision ({@linkcode epochNow}), so that
 * they compare with times taken on another thread (a worker's `performance.now()` has its
 * own origin) and with the agent's own ISO timestamps (the same system clock).
 *
 * @module
 */
import { connectPeer, type PeerOptions } from "./xmpp_peer.ts";

/** The current time as epoch milliseconds, sub-millisecond; comparable across threads. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A message seen: when it arrived, its body and its stanza id. */
export interface Arrival {
  /** {@linkcode epochNow} at its arrival. */
  at: number;
  /** `Date.now()` at its arrival: the wall clock, as the agent's timestamps are. */
  wall: number;
  body: string;
  id: string | undefined;
}

/** Options of {@linkcode DeliveryWatcher.connect}. */
export interface WatcherOptions extends PeerOptions {
  /** Bare JID whose messages count. */
  from: string;
  /** The message's key; one without (`undefined`) is kept in `unmarked`. */
  key: (arrival: Arrival) => string | undefined;
}

/** A client counting what one sender delivers to it. */
export class DeliveryWatcher implements AsyncDisposable {
  #close: () => Promise<void>;
  #key: (arrival: Arrival) => string | undefined;
  #seen = new Map<string, Arrival>();
  #waiters = new Map<string, (arrival: Arrival) => void>();
  #listeners = new Set<(arrival: Arrival) => void>();
  /** Messages with a body whose key was already seen. */
  duplicates = 0;
  /** Messages with a body and no key, in the order they came. */
  readonly unmarked: Arrival[] = [];

  /**
   * Logs in and starts counting.
   *
   * @throws {Error} When the login fails.
   */
  static async connect(options: WatcherOptions): Promise<DeliveryWatcher> {
    const peer = await connectPeer(options);
    const watcher = new DeliveryWatcher(() => peer.close(), options.key);
    peer.onStanza((stanza) => {
      const at = epochNow();
      const wall = Date.now();
      if (!stanza.is("message") || stanza.attrs.type === "error") return;
      const from = stanza.attrs.from ?? "";
      if ((from.split("/")[0] ?? from) !== options.from) return;
      const body = stanza.getChildText("body");
      if (body !== null) watcher.#arrived({ at, wall, body, id: stanza.attrs.id });
    });
    return watcher;
  }

  private constructor(close: () => Promise<void>, key: (arrival: Arrival) => string | undefined) {
    this.#close = close;
    this.#key = key;
  }

  /** How many distinct keys arrived. */
  get count(): number {
    return this.#seen.size;
  }

  /** The first arrival of each key, in the order they came. */
  arrivals(): [key: string, arrival: Arrival][] {
    return [...this.#seen];
  }

  /** The first arrival of `key`, if it came. */
  arrival(key: string): Arrival | undefined {
    return this.#seen.get(key);
  }

  /**
   * Waits for `key` (one that came already counts).
   *
   * @throws {Error} When it does not come within `timeoutMs`.
   */
  waitFor(key: string, timeoutMs = 15_000): Promise<Arrival> {
    const seen = this.#seen.get(key);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(key);
        reject(new Error(`No message for "${key}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(key, (arrival) => {
        clearTimeout(timer);
        resolve(arrival);
      });
    });
  }

  /**
   * Waits until `count` distinct keys have arrived, or no message has for `quietMs`.
   *
   * @returns The number of distinct keys that arrived.
   */
  async settle(count: number, quietMs: number): Promise<number> {
    while (this.count < count && await this.#arrivesWithin(quietMs)) {
      // Each arrival wakes the loop to check the count again.
    }
    return this.count;
  }

  /** Logs out. Safe to call twice. */
  close(): Promise<void> {
    return this.#close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #arrivesWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const listener = () => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        resolve(false);
      }, ms);
      this.#listeners.add(listener);
    });
  }

  #arrived(arrival: Arrival): void {
    const key = this.#key(arrival);
    if (key === undefined) {
      this.unmarked.push(arrival);
    } else if (this.#seen.has(key)) {
      this.duplicates++;
    } else {
      this.#seen.set(key, arrival);
      const waiter = this.#waiters.get(key);
      this.#waiters.delete(key);
      waiter?.(arrival);
    }
    for (const listener of [...this.#listeners]) listener(arrival);
  }
}
