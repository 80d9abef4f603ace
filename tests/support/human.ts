/**
 * The human of the integration tests: a real third-party XMPP client (slixmpp, run by
 * tests/support/human.py) logged in to the test server (Prosody or ejabberd) and driven from a
 * Deno test.
 *
 * @example
 * ```ts
 * await using alice = await connectHuman(prosody, { user: "alice", password: "pw" });
 * await alice.send("agent@localhost", "hello");
 * const reply = await alice.nextMessage({ from: "agent@localhost", withBody: true });
 * ```
 *
 * @module
 */

import { endProcess } from "./end_process.ts";
import { EventBuffer } from "./event_buffer.ts";
import {
  type ChatState,
  describeEvent,
  type HumanEvent,
  type HumanMessage,
  type HumanPresence,
  type IqReply,
  jidMatches,
  type MessageType,
  type RosterItem,
} from "./human_event.ts";
import type { XmppServerHandle } from "./xmpp_server.ts";

export type * from "./human_event.ts";

/** Options of {@linkcode connectHuman}. */
export interface HumanOptions {
  /** Local part of the account (register it first with `server.register`). */
  user: string;
  password: string;
  /**
   * Resource to bind.
   * @default {undefined} (the server picks one)
   */
  resource?: string;
  /**
   * Accept subscription requests and subscribe back automatically.
   * @default {false} (the test answers with `approve()`)
   */
  autoAccept?: boolean;
  /**
   * Use STARTTLS; `false` connects in plaintext.
   * @default {server.tls}
   */
  tls?: boolean;
  /**
   * How long to wait for the session to start.
   * @default {15000}
   */
  timeoutMs?: number;
  /**
   * Python with slixmpp.
   * @default {"/usr/bin/python3"}
   */
  python?: string;
  /**
   * Write slixmpp's debug log (every stanza) to the human's stderr, see `Human.stderr()`.
   * @default {false}
   */
  debug?: boolean;
  /**
   * More slixmpp plugins to register, e.g. `["xep_0115"]` (entity capabilities).
   * @default {[]}
   */
  plugins?: string[];
}

/** Extra fields of {@linkcode Human.send}. */
export interface SendExtra {
  /** @default {a random id} */
  id?: string;
  /** @default {"chat"} */
  type?: MessageType;
  thread?: string;
  chatState?: ChatState;
  /** Send no `<body/>` (e.g. a bare chat state notification). */
  noBody?: boolean;
  /** Ask for a delivery receipt (XEP-0184). */
  receipt?: boolean;
  /** Mark the message markable (XEP-0333). */
  markable?: boolean;
  /** Correct the message with this id (XEP-0308). */
  replace?: string;
  /**
   * Reply to a message (XEP-0461), as slixmpp does; `quote` is put in front of the body as
   * the fallback (`> ` lines) and marked as such.
   */
  reply?: { to: string; id: string; quote?: string };
}

/** Options of {@linkcode Human.nextMessage}. */
export interface NextMessageOptions {
  /** Bare JID (any resource) or full JID of the sender. */
  from?: string;
  /** Skip messages without a body (chat states). */
  withBody?: boolean;
  /** @default {10000} */
  timeoutMs?: number;
}

/** The entity capabilities slixmpp verified (see {@linkcode Human.verifiedCaps}). */
export interface VerifiedCaps {
  /** The features, sorted. */
  features: string[];
  /** `[category, type, lang, name]` each. */
  identities: (string | null)[][];
  /** The verification string of the presence. */
  ver: string;
}

/** What an ad-hoc command answered (see {@linkcode Human.runCommand}). */
export interface CommandResult {
  /** `completed`, `executing`, `canceled`, or `error` for an IQ error. */
  status: string;
  /** The `<note/>` texts. */
  notes?: string[];
  /** The fields of the form in the last answer, by name. */
  values?: Record<string, string | string[] | boolean>;
  /** The fields the form asked for, when one was filled in. */
  asked?: string[];
  /** The error condition. */
  error?: string;
  text?: string;
}

/** Minimal view of a test server that {@linkcode connectHuman} needs. */
export type HumanServer = Pick<XmppServerHandle, "domain" | "host" | "c2sPort" | "tls" | "dir">;

const HUMAN_SCRIPT = decodeURIComponent(new URL("./human.py", import.meta.url).pathname);

/**
 * Starts a slixmpp client and waits until its session started (roster fetched, initial
 * presence sent).
 *
 * @param server The test server (Prosody or ejabberd).
 * @param options Account and behaviour.
 * @returns The connected human; call `close()` in a `finally` (or hold it with `await using`).
 * @throws {Error} When login fails or times out (the message carries the client's stderr).
 */
export async function connectHuman(server: HumanServer, options: HumanOptions): Promise<Human> {
  const jid = `${options.user}@${server.domain}${options.resource ? `/${options.resource}` : ""}`;
  const config = {
    jid,
    password: options.password,
    host: server.host,
    port: server.c2sPort,
    tls: options.tls ?? server.tls,
    autoAccept: options.autoAccept ?? false,
    debug: options.debug ?? false,
    plugins: options.plugins ?? [],
  };
  const child = new Deno.Command(options.python ?? "/usr/bin/python3", {
    // The server directory in the arguments lets `pgrep -f DIR` find this process.
    args: [HUMAN_SCRIPT, jid, server.dir],
    env: { HUMAN_CONFIG: JSON.stringify(config), PYTHONUNBUFFERED: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const human = new Human(child);
  try {
    const ready = await human.waitFor(
      (event) => event.kind === "ready" || event.kind === "failed",
      options.timeoutMs ?? 15_000,
    );
    if (ready.kind !== "ready") throw new Error(describeEvent(ready));
    human.jid = ready.jid;
    return human;
  } catch (error) {
    await human.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Human "${jid}" could not log in: ${reason}\n${human.stderr()}`);
  }
}

/** A logged-in test client. Every event it receives stays in {@linkcode Human.events}. */
export class Human implements AsyncDisposable {
  /** The bound full JID. */
  jid = "";
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #buffer = new EventBuffer<HumanEvent>(describeEvent);
  readonly #pending = new Map<number, PromiseWithResolvers<unknown>>();
  readonly #done: Promise<unknown>;
  #nextCommand = 1;
  #stderr = "";
  #closed = false;

  /** @param child A running human.py; use {@linkcode connectHuman} instead. */
  constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#done = Promise.all([this.#readEvents(), this.#readStderr(), child.status]);
  }

  /** Every event received, in order, including those already taken by a wait. */
  get events(): readonly HumanEvent[] {
    return this.#buffer.events;
  }

  /** The bare JID of this human. */
  get bareJid(): string {
    return this.jid.split("/")[0] ?? "";
  }

  /**
   * Sends a `<message/>`.
   * @returns The stanza id.
   */
  send(to: string, body: string, extra: SendExtra = {}): Promise<string> {
    const id = extra.id ?? crypto.randomUUID();
    return this.#command("send", { to, body, ...extra, id }) as Promise<string>;
  }

  /** Sends the full set of this human's reactions to message `id` (XEP-0444). */
  async react(to: string, id: string, emojis: string[]): Promise<void> {
    await this.#command("react", { to, id, emojis });
  }

  /** Writes raw XML on the stream as is. */
  async sendRaw(xml: string): Promise<void> {
    await this.#command("raw", { xml });
  }

  /**
   * Sends an IQ get and waits for its answer (error replies resolve, they do not throw).
   *
   * @param kind `"ping"` (XEP-0199), `"disco_info"` (XEP-0030), `"version"` (XEP-0092), or a
   *   raw `<iq .../>` (an `id` is added when it has none).
   * @throws {Error} When no reply arrives within `timeoutMs` (default 10000).
   */
  iq(to: string, kind: string, options: { timeoutMs?: number } = {}): Promise<IqReply> {
    return this.#command("iq", { to, kind, timeoutMs: options.timeoutMs ?? 10_000 }) as Promise<
      IqReply
    >;
  }

  /** Sends a presence (available when `type` is absent). */
  async sendPresence(
    options: { to?: string; type?: string; show?: string; status?: string } = {},
  ): Promise<void> {
    await this.#command("presence", options);
  }

  /** Asks to see `jid`'s presence (`<presence type="subscribe"/>`). */
  subscribe(jid: string): Promise<void> {
    return this.sendPresence({ to: jid, type: "subscribe" });
  }

  /** Accepts `jid`'s subscription request (`<presence type="subscribed"/>`). */
  approve(jid: string): Promise<void> {
    return this.sendPresence({ to: jid, type: "subscribed" });
  }

  /** Refuses or revokes `jid`'s subscription (`<presence type="unsubscribed"/>`). */
  deny(jid: string): Promise<void> {
    return this.sendPresence({ to: jid, type: "unsubscribed" });
  }

  /**
   * What slixmpp's XEP-0115 plugin (`plugins: ["xep_0115"]`) verified of `jid`'s entity
   * capabilities: the disco#info its presence hash stands for, once fetched and checked
   * against the hash; `null` until then.
   */
  verifiedCaps(jid: string): Promise<VerifiedCaps | null> {
    return this.#command("caps", { jid }) as Promise<VerifiedCaps | null>;
  }

  /** The ad-hoc commands (XEP-0050) `jid` offers, through slixmpp's `xep_0050` plugin. */
  commands(jid: string): Promise<{ node: string; name: string }[]> {
    return this.#command("commands", { jid }) as Promise<{ node: string; name: string }[]>;
  }

  /**
   * Runs an ad-hoc command (plugins `xep_0004`, `xep_0050`). When the command asks with a
   * form and `fields` is given, the form is submitted with those values.
   */
  runCommand(
    jid: string,
    node: string,
    fields?: Record<string, string>,
  ): Promise<CommandResult> {
    return this.#command("run_command", { jid, node, fields }) as Promise<CommandResult>;
  }

  /** Fetches the roster from the server. */
  roster(): Promise<RosterItem[]> {
    return this.#command("roster", {}) as Promise<RosterItem[]>;
  }

  /**
   * Joins a MUC room (XEP-0045) and waits for the room's self-presence (status 110). A room
   * the join creates (status 201, locked on a default server) is unlocked with the service's
   * defaults, as clients do for an instant room (§10.1.2).
   * @returns The occupant JID `room/nick`.
   */
  async joinRoom(
    room: string,
    nick: string,
    options: { timeoutMs?: number } = {},
  ): Promise<string> {
    const occupant = `${room}/${nick}`;
    await this.sendRaw(
      `<presence to='${
        escapeXml(occupant)
      }'><x xmlns='http://jabber.org/protocol/muc'/></presence>`,
    );
    const self = await this.waitFor(
      (event) =>
        event.kind === "presence" && jidMatches(event.from, occupant) &&
        (event.type === "error" || event.xml.includes('code="110"')),
      options.timeoutMs ?? 10_000,
    ) as HumanPresence;
    if (self.type === "error") throw new Error(`Cannot join "${occupant}": ${self.xml}`);
    if (self.xml.includes('code="201"')) {
      const unlocked = await this.iq(
        room,
        `<iq type='set' to='${
          escapeXml(room)
        }'><query xmlns='http://jabber.org/protocol/muc#owner'>` +
          "<x xmlns='jabber:x:data' type='submit'/></query></iq>",
      );
      if (unlocked.type !== "result") throw new Error(`Cannot unlock "${room}": ${unlocked.xml}`);
    }
    return occupant;
  }

  /**
   * Submits room configuration fields as the room's owner (XEP-0045 §10.2), e.g.
   * `{ "muc#roomconfig_whois": "anyone" }`.
   * @throws {Error} When the room refuses.
   */
  async configureRoom(room: string, fields: Record<string, string>): Promise<void> {
    const values = Object.entries(fields).map(([name, value]) =>
      `<field var='${escapeXml(name)}'><value>${escapeXml(value)}</value></field>`
    ).join("");
    const reply = await this.iq(
      room,
      `<iq type='set' to='${
        escapeXml(room)
      }'><query xmlns='http://jabber.org/protocol/muc#owner'>` +
        "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>" +
        `<value>http://jabber.org/protocol/muc#roomconfig</value></field>${values}</x></query></iq>`,
    );
    if (reply.type !== "result") throw new Error(`Cannot configure "${room}": ${reply.xml}`);
  }

  /** Takes the oldest unread message matching the options, waiting for one if needed. */
  nextMessage(options: NextMessageOptions = {}): Promise<HumanMessage> {
    const { from, withBody = false, timeoutMs = 10_000 } = options;
    const description = `message${withBody ? " with a body" : ""}${from ? ` from ${from}` : ""}`;
    return this.#buffer.waitFor(
      (event): event is HumanMessage =>
        event.kind === "message" && (from === undefined || jidMatches(event.from, from)) &&
        (!withBody || event.body !== undefined),
      { timeoutMs, description },
    );
  }

  /**
   * Takes the agent's next LLM answer: its messages with a body up to the one carrying `active`
   * (an answer delivered by paragraphs is several), as one message whose body is theirs joined
   * by blank lines. `timeoutMs` applies to each message.
   */
  async nextAnswer(options: Omit<NextMessageOptions, "withBody"> = {}): Promise<HumanMessage> {
    const parts: HumanMessage[] = [];
    while (parts.at(-1)?.chatState !== "active") {
      parts.push(await this.nextMessage({ ...options, withBody: true }));
    }
    const body = parts.map((part) => part.body ?? "").join("\n\n");
    return { ...parts.at(-1)!, body };
  }

  /** Takes the oldest unread event matching `predicate`, waiting up to `timeoutMs` (10000). */
  waitFor<E extends HumanEvent>(
    predicate: (event: HumanEvent) => event is E,
    timeoutMs?: number,
  ): Promise<E>;
  waitFor(predicate: (event: HumanEvent) => boolean, timeoutMs?: number): Promise<HumanEvent>;
  waitFor(predicate: (event: HumanEvent) => boolean, timeoutMs = 10_000): Promise<HumanEvent> {
    return this.#buffer.waitFor(predicate, { timeoutMs });
  }

  /**
   * Waits `ms` and fails if a message from `from` arrived meanwhile.
   *
   * @param options.withBody Only count messages with a body (ignore chat states). Default false.
   * @param options.since Count from this index of `events` instead of from now.
   */
  expectSilence(
    from: string,
    ms: number,
    options: { withBody?: boolean; since?: number } = {},
  ): Promise<void> {
    const withBody = options.withBody ?? false;
    return this.#buffer.expectNone(
      (event) =>
        event.kind === "message" && jidMatches(event.from, from) &&
        (!withBody || event.body !== undefined),
      ms,
      {
        description: `message from ${from}`,
        ...(options.since === undefined ? {} : { since: options.since }),
      },
    );
  }

  /** What the client wrote to stderr (slixmpp's log with `debug: true`). */
  stderr(): string {
    return this.#stderr;
  }

  /**
   * Disconnects and ends the process: closing its stdin makes it log out and exit; it is killed
   * if it has not exited within 5 s. Idempotent.
   * @returns The process's exit status (a `signal` means it had to be killed).
   */
  async close(): Promise<Deno.CommandStatus> {
    if (!this.#closed) {
      this.#closed = true;
      await this.#writer.close().catch(() => {});
      await endProcess(this.#child);
    }
    await this.#done;
    return await this.#child.status;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #command(op: string, fields: Record<string, unknown>): Promise<unknown> {
    if (this.#closed) throw new Error(`Human "${this.jid}" is closed`);
    const cmd = this.#nextCommand++;
    const reply = Promise.withResolvers<unknown>();
    this.#pending.set(cmd, reply);
    const line = JSON.stringify({ ...fields, cmd, op }) + "\n";
    try {
      await this.#writer.write(new TextEncoder().encode(line));
    } catch (error) {
      this.#pending.delete(cmd);
      throw new Error(`Human "${this.jid}" is gone`, { cause: error });
    }
    return await reply.promise;
  }

  async #readEvents(): Promise<void> {
    let rest = "";
    for await (const chunk of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      rest += chunk;
      let newline: number;
      while ((newline = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, newline).trim();
        rest = rest.slice(newline + 1);
        if (line !== "") this.#handle(JSON.parse(line));
      }
    }
    const gone = new Error(
      `Human "${this.jid}" exited; ${this.#buffer.summary()}\n${this.#stderr}`,
    );
    for (const reply of this.#pending.values()) reply.reject(gone);
    this.#pending.clear();
    this.#buffer.fail(gone);
  }

  #handle(data: { kind: string; cmd?: number; ok?: boolean; result?: unknown; error?: string }) {
    if (data.kind !== "reply") {
      this.#buffer.push(data as HumanEvent);
      return;
    }
    const reply = this.#pending.get(data.cmd ?? 0);
    this.#pending.delete(data.cmd ?? 0);
    if (data.ok) reply?.resolve(data.result);
    else reply?.reject(new Error(`Human "${this.jid}" failed: ${data.error}`));
  }

  async #readStderr(): Promise<void> {
    for await (const chunk of this.#child.stderr.pipeThrough(new TextDecoderStream())) {
      this.#stderr += chunk;
    }
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/'/g, "&apos;")
    .replace(/"/g, "&quot;");
}
