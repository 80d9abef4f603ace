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
  /** Message stanzas received from its sender before it, since the driver connected. */
  seen: number;
}

/** A round trip of {@linkcode Driver.askWith}. */
export interface Asked {
  ms: number;
  /** Message stanzas from the bot between the question and its answer (the answer excluded). */
  before: number;
}

/** A presence the driver received. */
export interface PresenceSeen {
  /** Full JID of the sender. */
  from: string;
  /** `"available"` when the stanza had no type. */
  type: string;
  at: number;
}

const NS_RECEIPTS = "urn:xmpp:receipts";
const NS_MARKERS = "urn:xmpp:chat-markers:0";
const NS_CHAT_STATES = "http://jabber.org/protocol/chatstates";

/** What a message stanza may carry, by the label it gets, in the order labels name them. */
const KINDS: [label: string, name: string, xmlns: string | undefined][] = [
  ["body", "body", undefined],
  ["composing", "composing", NS_CHAT_STATES],
  ["active", "active", NS_CHAT_STATES],
  ["paused", "paused", NS_CHAT_STATES],
  ["receipt", "received", NS_RECEIPTS],
  ["marker-received", "received", NS_MARKERS],
  ["marker-displayed", "displayed", NS_MARKERS],
  ["markable", "markable", NS_MARKERS],
];

type Waiter<T> = { match: (item: T) => boolean; resolve: (item: T) => void };

/** A logged-in bench user. */
export class Driver implements AsyncDisposable {
  #peer: Peer;
  #inbox = new Map<string, Reply[]>();
  #replyWaiters = new Map<string, (reply: Reply) => void>();
  #presences: PresenceSeen[] = [];
  #presenceWaiters: Waiter<PresenceSeen>[] = [];
  #kinds = new Map<string, Map<string, number>>();

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

  /**
   * Sends `text` with more children in its message (e.g. a receipt request) and waits for
   * its answer.
   *
   * @throws {Error} When the answer is not `expected` or does not come in time.
   */
  async askWith(
    to: string,
    text: string,
    options: { expected: string; children: Stanza[]; id: string; timeoutMs?: number },
  ): Promise<Asked> {
    const start = performance.now();
    const seen = this.messagesFrom(to);
    await this.#peer.send(
      xml(
        "message",
        { to, type: "chat", id: options.id },
        xml("body", {}, text),
        ...options.children,
      ),
    );
    const reply = await this.nextReply(to, options.timeoutMs ?? 10_000);
    if (reply.body !== options.expected) {
      throw new Error(`Expected "${options.expected}" from "${to}", got "${reply.body}"`);
    }
    return { ms: reply.at - start, before: reply.seen - seen };
  }

  /** How many message stanzas `from` (a bare JID) has sent this driver. */
  messagesFrom(from: string): number {
    let total = 0;
    for (const count of this.#kinds.get(from)?.values() ?? []) total += count;
    return total;
  }

  /**
   * The message stanzas `from` (a bare JID) has sent, by what each carried, e.g.
   * `{ "body+markable": 3, "composing+marker-displayed": 3 }`.
   */
  messageKinds(from: string): Record<string, number> {
    return Object.fromEntries(this.#kinds.get(from) ?? []);
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

  #count(bare: string, stanza: Stanza): void {
    const kind = KINDS.filter(([, name, xmlns]) => stanza.getChild(name, xmlns) !== undefined)
      .map(([label]) => label).join("+");
    const kinds = this.#kinds.get(bare) ?? new Map<string, number>();
    this.#kinds.set(bare, kinds);
    const label = kind || "other";
    kinds.set(label, (kinds.get(label) ?? 0) + 1);
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
    const bare = from.split("/")[0] ?? from;
    if (stanza.is("message")) this.#count(bare, stanza);
    const body = stanza.is("message") ? stanza.getChildText("body") : null;
    if (body === null || stanza.attrs.type === "error") return;
    const reply = { body, at, seen: this.messagesFrom(bare) - 1 };
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
