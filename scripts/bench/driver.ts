/**
 * The human side of the benchmark: a fast XMPP client that sends chat messages and times the
 * replies. Only messages with a body count as replies (the agent's `<composing/>` has none).
 *
 * @module
 */
import { connectPeer, type Peer, type PeerOptions, type Stanza, xml } from "./xmpp_peer.ts";

/** A reply: its text and when it arrived (`performance.now()`). */
export interface Reply {
  body: string;
  at: number;
}

/** A presence the driver received. */
export interface PresenceSeen {
  /** Full JID of the sender. */
  from: string;
  /** `"available"` when the stanza had no type. */
  type: string;
  at: number;
}

type Waiter<T> = { match: (item: T) => boolean; resolve: (item: T) => void };

/** A logged-in bench user. */
export class Driver implements AsyncDisposable {
  #peer: Peer;
  #inbox = new Map<string, Reply[]>();
  #replyWaiters = new Map<string, (reply: Reply) => void>();
  #presences: PresenceSeen[] = [];
  #presenceWaiters: Waiter<PresenceSeen>[] = [];

  /**
   * Logs a user in.
   *
   * @param options Server and account.
   * @throws {Error} When the login fails.
   */
  static async connect(options: PeerOptions): Promise<Driver> {
    return new Driver(await connectPeer(options));
  }

  private constructor(peer: Peer) {
    this.#peer = peer;
    peer.onStanza((stanza) => this.#receive(stanza));
  }

  /** The full JID bound. */
  get jid(): string {
    return this.#peer.jid;
  }

  /** Sends a chat message without waiting for the answer. */
  chat(to: string, body: string): Promise<void> {
    return this.#peer.chat(to, body);
  }

  /** Sends a presence stanza, e.g. `subscribe` or `subscribed`. */
  presence(to: string, type: string): Promise<void> {
    return this.#peer.send(xml("presence", { to, type }));
  }

  /**
   * Waits for the next reply (a message with a body) from `from` (a bare JID).
   *
   * @throws {Error} When none arrives within `timeoutMs`.
   */
  nextReply(from: string, timeoutMs = 10_000): Promise<Reply> {
    const queued = this.#inbox.get(from)?.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#replyWaiters.delete(from);
        reject(new Error(`No reply from "${from}" to "${this.jid}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#replyWaiters.set(from, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /**
   * Sends `text` and waits for its answer.
   *
   * @returns The round trip in milliseconds.
   * @throws {Error} When the answer is not `expected` or does not come in time.
   */
  async ask(to: string, text: string, expected: string, timeoutMs = 10_000): Promise<number> {
    const start = performance.now();
    await this.#peer.chat(to, text);
    const reply = await this.nextReply(to, timeoutMs);
    if (reply.body !== expected) {
      throw new Error(`Expected "${expected}" from "${to}", got "${reply.body}"`);
    }
    return reply.at - start;
  }

  /** Drops replies that arrived but were not asked for. */
  drain(): void {
    this.#inbox.clear();
  }

  /**
   * Waits for a presence matching `match` (one already received counts).
   *
   * @throws {Error} When none arrives within `timeoutMs`.
   */
  waitForPresence(match: (p: PresenceSeen) => boolean, timeoutMs = 10_000): Promise<PresenceSeen> {
    const seen = this.#presences.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<PresenceSeen> = { match, resolve: () => {} };
      const timer = setTimeout(() => {
        this.#presenceWaiters = this.#presenceWaiters.filter((w) => w !== waiter);
        reject(new Error(`No matching presence for "${this.jid}" within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter.resolve = (presence) => {
        clearTimeout(timer);
        resolve(presence);
      };
      this.#presenceWaiters.push(waiter);
    });
  }

  /** Forgets the presences received so far. */
  clearPresences(): void {
    this.#presences = [];
  }

  /** Logs out. Safe to call twice. */
  close(): Promise<void> {
    return this.#peer.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #receive(stanza: Stanza): void {
    const at = performance.now();
    const from = stanza.attrs.from ?? "";
    if (stanza.is("presence")) {
      const presence = { from, type: stanza.attrs.type ?? "available", at };
      this.#presences.push(presence);
      for (const waiter of this.#presenceWaiters.filter((w) => w.match(presence))) {
        this.#presenceWaiters = this.#presenceWaiters.filter((w) => w !== waiter);
        waiter.resolve(presence);
      }
      return;
    }
    const body = stanza.is("message") ? stanza.getChildText("body") : null;
    if (body === null || stanza.attrs.type === "error") return;
    const bare = from.split("/")[0] ?? from;
    const reply = { body, at };
    const waiter = this.#replyWaiters.get(bare);
    if (waiter !== undefined) {
      this.#replyWaiters.delete(bare);
      waiter(reply);
      return;
    }
    const queue = this.#inbox.get(bare);
    if (queue === undefined) this.#inbox.set(bare, [reply]);
    else queue.push(reply);
  }
}
