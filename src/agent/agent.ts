/**
 * The agent: takes XMPP events, applies the policy, routes each conversation (a bare JID or
 * a room) through its own serial queue, and answers with a command or an LLM turn.
 *
 * @module
 */
import {
  type AgentStatus,
  builtinCommands,
  type Command,
  type CommandMemory,
  CommandRegistry,
  type CommandRights,
  parseCommandLine,
  type SessionRef,
} from "../commands/mod.ts";
import type {
  GroupchatEvent,
  MessageEvent,
  OobAttachment,
  ReactionEvent,
  RosterItem,
  XmppAction,
  XmppEvent,
} from "../xmpp/mod.ts";
import type { AttachmentIntake } from "./attachment_intake.ts";
import { KeyedQueue } from "../async/mod.ts";
import { EncryptedNotice } from "./encrypted_notice.ts";
import { handledPrefix } from "./handled_line.ts";
import { DEFAULT_MAX_MESSAGE_CHARS, refuseLongRoomMessage } from "./long_message.ts";
import type { RedeliveryMemory } from "./redelivery.ts";
import { screenDirect } from "./screen_direct.ts";
import { addressedText } from "./room_activation.ts";
import { Membership, type MembershipOptions } from "./membership.ts";
import { roomSituation } from "./room_transcript.ts";
import { Speakers } from "./speakers.ts";
import {
  type ReplyTarget,
  runTurn,
  startNewSessionIfIdle,
  type TurnContext,
  type TurnMemory,
} from "./turn.ts";

/** The XMPP operations the agent uses. */
export interface AgentXmpp {
  send(action: XmppAction): void;
  roster(): Promise<RosterItem[]>;
  /** Checks a raw stanza for `/raw`: an error message, or `undefined` when it may be sent. */
  validateRaw?(xml: string): string | undefined;
}

/** Options for {@linkcode Agent}. */
export interface AgentOptions extends Omit<TurnContext, "memory" | "send">, MembershipOptions {
  memory: TurnMemory & CommandMemory & RedeliveryMemory;
  xmpp: AgentXmpp;
  /** Facts for `/status`. */
  status: () => AgentStatus;
  /** Bare JIDs allowed to use developer commands. @default {[]} */
  devJids?: readonly string[];
  /** Answer reactions through the LLM (they are always stored). @default {false} */
  respondToReactions?: boolean;
  /** Downloads attachments and turns them into LLM content. */
  attachments?: AttachmentIntake;
  /** More slash commands (e.g. `/skills`), after the built-in ones. @default {[]} */
  commands?: Command[];
  /** Longer messages are not read; the sender is told. @default {16000} */
  maxMessageChars?: number;
}

/**
 * Routes events to commands and LLM turns.
 *
 * @example
 * ```ts
 * const agent = new Agent(options);
 * connection.onEvent((event) => agent.handle(event));
 * ```
 */
export class Agent {
  #options: AgentOptions;
  /** One serial queue per conversation (a bare JID or a room). */
  #queue = new KeyedQueue();
  #commands: CommandRegistry;
  #membership: Membership;
  #speakers: Speakers;
  #detached = new Set<Promise<void>>();
  #encrypted: EncryptedNotice;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#encrypted = new EncryptedNotice({ now: options.now });
    this.#commands = new CommandRegistry([...builtinCommands(), ...(options.commands ?? [])]);
    this.#membership = new Membership(options, (key, task) => this.#enqueue(key, task));
    this.#speakers = new Speakers({
      rules: options.rules,
      log: options.log,
      serverDomain: options.rules.serverDomain ?? options.rules.ownDomain,
      isRoom: (jid) => this.#membership.isRoom(jid),
    });
  }

  /** Handles one event; the work it starts runs in the background (see {@linkcode idle}). */
  handle(event: XmppEvent): void {
    switch (event.type) {
      case "message":
        return this.#onMessage(event);
      case "groupchat":
        return this.#onGroupchat(event);
      case "reaction":
        return this.#onReaction(event);
      case "subscribe":
        return this.#membership.subscribe(event.bare, event.to);
      case "unsubscribe":
        return this.#membership.unsubscribe(event.bare, event.to);
      case "probe":
        return this.#membership.probe(event);
      case "invite":
        return this.#detach(
          `handle the invitation to ${event.room}`,
          () => this.#membership.invite(event),
        );
      case "room_joined":
        this.#membership.joined(event.room, event.nick);
        this.#options.log.info(`Joined ${event.room} as "${event.nick}"`);
        return;
      case "room_left":
        this.#options.log.warn(
          `Left ${event.room} (${event.reason}${event.detail ? `: ${event.detail}` : ""})`,
        );
        return;
      case "online":
        // A resumed session kept its rooms, presence and subscriptions.
        if (event.resumed) return;
        return this.#detach("set up the session", () => this.#membership.online());
      case "offline":
        return;
    }
  }

  /** Resolves when every queued conversation, invitation and session set-up is done. */
  async idle(): Promise<void> {
    do {
      await Promise.all([...this.#detached, this.#queue.idle()]);
    } while (this.#detached.size > 0);
  }

  #onMessage(message: MessageEvent): void {
    const sender = this.#speakers.direct(message, "message");
    if (sender === undefined) return;
    const event = sender === message.bare ? message : { ...message, bare: sender };
    this.#enqueue(sender, () => this.#answerDirect(event));
  }

  async #answerDirect(message: MessageEvent): Promise<void> {
    const session: SessionRef = message.thread === undefined
      ? message.bare
      : { jid: message.bare, thread: message.thread };
    const reply: ReplyTarget = {
      to: message.from,
      messageType: "chat",
      ...this.#membership.from(message.to),
      ...(message.thread === undefined ? {} : { thread: message.thread }),
    };
    const { log } = this.#options;
    const handled = handledPrefix(message.kind, session, false);
    const screen = {
      session,
      reply,
      handled,
      log,
      memory: this.#options.memory,
      turn: this.#options,
      maxMessageChars: this.#options.maxMessageChars,
    };
    const send = (action: XmppAction) => this.#options.xmpp.send(action);
    if (await screenDirect(message, { ...screen, notices: this.#encrypted, send })) return;
    const line = parseCommandLine(message.body.trimStart());
    if (line !== undefined) {
      const dev = (this.#options.devJids ?? []).includes(message.bare);
      const rights = { dev, erase: true };
      await this.#command(line, {
        jid: message.bare,
        sender: message.bare,
        session,
        reply,
        rights,
        handled,
      });
      return;
    }
    const intake = message.attachments?.length
      ? await this.#options.attachments?.receive(message.bare, message.attachments)
      : undefined;
    if (intake !== undefined && intake.failures.length > 0) {
      this.#options.xmpp.send({ type: "message", body: intake.failures.join("\n"), ...reply });
    }
    if (message.attachments?.length && this.#options.attachments === undefined) {
      this.#options.log.info(`Attachments from ${message.bare} ignored: attachments are disabled`);
    }
    await runTurn({
      conversation: session,
      promptJid: message.bare,
      reply,
      kind: message.kind,
      entry: {
        type: "message",
        role: "user",
        content: withLinks(
          message.body,
          intake === undefined ? message.attachments : intake.failed,
        ),
        ...(message.id === undefined ? {} : { msg_id: message.id }),
        ...(message.stanzaId === undefined ? {} : { stanza_id: message.stanzaId }),
        ...(intake?.stored.length ? { attachments: intake.stored } : {}),
      },
      ...(intake?.blocks.length ? { attachments: intake.blocks } : {}),
    }, this.#turnContext());
  }

  #onGroupchat(event: GroupchatEvent): void {
    this.#enqueue(event.room, () => this.#answerRoom(event));
  }

  async #answerRoom(event: GroupchatEvent): Promise<void> {
    const { memory } = this.#options;
    const room = this.#membership.room(event.room);
    const session: SessionRef = event.thread === undefined
      ? event.room
      : { jid: event.room, thread: event.thread };
    if (event.own) {
      // The room gives the agent's message its own stanza-id: remember the mapping so a
      // reaction to it (which names the stanza-id) finds the message.
      if (event.stanzaId !== undefined && event.originId !== undefined) {
        await memory.append(session, {
          type: "reflection",
          msg_id: event.originId,
          stanza_id: event.stanzaId,
        });
      }
      return;
    }
    const msgId = event.stanzaId ?? event.id ?? event.originId;
    if (event.delayed && msgId !== undefined && await this.#seen(session, msgId)) return;
    const nick = this.#membership.nick(event.room);
    if (
      await refuseLongRoomMessage(event, {
        session,
        msgId,
        ownNick: nick,
        activation: room.activation,
        maxChars: this.#options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS,
        context: this.#options,
        send: (action) => this.#options.xmpp.send(action),
      })
    ) return;
    const speaker = this.#speakers.inRoom(event, room.tools);
    // A stranger's files are not fetched: noted by link, like in rooms without downloads.
    const download = room.downloadAttachments && speaker.tools;
    const intake = event.attachments?.length && download
      ? await this.#options.attachments?.receive(event.room, event.attachments)
      : undefined;
    if (!event.delayed) await startNewSessionIfIdle(session, this.#options);
    const listed = event.attachments?.length && !download
      ? this.#options.attachments?.describe(event.attachments)
      : undefined;
    const stored = intake?.stored.length ? intake.stored : listed;
    await memory.append(session, {
      type: "message",
      role: "user",
      content: withLinks(event.body, stored === undefined ? event.attachments : undefined),
      sender: `${event.nick}@muc`,
      ...(msgId === undefined ? {} : { msg_id: msgId }),
      ...(stored?.length ? { attachments: stored } : {}),
    });
    if (event.delayed) return;
    const { addressed, text } = addressedText(event.body, nick, room.activation);
    if (!addressed) return;
    const reply: ReplyTarget = {
      to: event.room,
      messageType: "groupchat",
      ...(event.thread === undefined ? {} : { thread: event.thread }),
    };
    const line = parseCommandLine(text);
    if (line !== undefined) {
      const real = speaker.jid;
      const rights: CommandRights = {
        dev: real !== undefined && (this.#options.devJids ?? []).includes(real),
        erase: speaker.allowed,
      };
      const handled = handledPrefix("groupchat", session, true);
      await this.#command(line, { jid: event.room, sender: real, session, reply, rights, handled });
      return;
    }
    if (!speaker.tools) {
      this.#options.log.debug(`Answering ${event.from} in ${event.room} without tools`);
    }
    await runTurn({
      conversation: session,
      promptJid: event.room,
      reply,
      kind: "groupchat",
      tools: speaker.tools,
      ...(intake?.blocks.length ? { attachments: intake.blocks } : {}),
      ownNick: nick,
      situation: roomSituation(event.room, nick),
    }, this.#turnContext());
  }

  #onReaction(event: ReactionEvent): void {
    const room = event.room;
    const key = room ?? this.#speakers.direct(event, "reaction");
    if (key === undefined) return;
    const tools = room === undefined || this.#speakers.inRoom({
      room,
      nick: event.nick ?? "",
      ...(event.realJid === undefined ? {} : { realJid: event.realJid }),
    }, this.#membership.room(room).tools).tools;
    this.#enqueue(key, async () => {
      await this.#options.memory.append(key, {
        type: "message",
        role: "user",
        content: event.emojis.join(" "),
        reaction: { message_id: event.messageId, emojis: event.emojis },
        ...(event.nick === undefined ? {} : { sender: `${event.nick}@muc` }),
      });
      if (!this.#options.respondToReactions) return;
      await runTurn({
        conversation: key,
        promptJid: key,
        kind: "reaction",
        reply: room === undefined
          ? { to: event.from, messageType: "chat", ...this.#membership.from(event.to) }
          : { to: room, messageType: "groupchat" },
        tools,
        ...(room === undefined ? {} : {
          ownNick: this.#membership.nick(room),
          situation: roomSituation(room, this.#membership.nick(room)),
        }),
      }, this.#turnContext());
    });
  }

  async #command(
    line: { name: string; args: string },
    where: {
      jid: string;
      sender: string | undefined;
      session: SessionRef;
      reply: ReplyTarget;
      rights: CommandRights;
      /** The start of the log line. */
      handled: string;
    },
  ): Promise<void> {
    const options = this.#options;
    const { jid, sender, session, reply, rights } = where;
    const body = await this.#commands.execute(line, {
      jid,
      ...(sender === undefined ? {} : { sender }),
      session,
      rights,
      memory: options.memory,
      status: options.status,
      now: options.now,
      sendRaw: (xml) => {
        const error = options.xmpp.validateRaw?.(xml);
        if (error === undefined) options.xmpp.send({ type: "raw", xml });
        return error;
      },
    });
    options.xmpp.send({ type: "message", body, ...reply });
    options.log.info(`${where.handled}: command /${line.name}`);
  }

  /** Whether a message id is already in the session (history replayed on rejoin). */
  async #seen(session: SessionRef, id: string): Promise<boolean> {
    const entries = await this.#options.memory.recent(session, 200, { include: "all" });
    return entries.some((entry) => (entry as { msg_id?: unknown }).msg_id === id);
  }

  #turnContext(): TurnContext {
    const options = this.#options;
    return { ...options, send: (action) => options.xmpp.send(action) };
  }

  /** Starts work outside the conversation queues ({@linkcode idle} waits for it too). */
  #detach(what: string, task: () => Promise<void>): void {
    const running = task().catch((error) => {
      this.#options.log.error(`Failed to ${what}: ${String(error)}`);
    }).finally(() => this.#detached.delete(running));
    this.#detached.add(running);
  }

  #enqueue(key: string, task: () => Promise<void>): void {
    this.#queue.run(key, task).catch((error) => {
      this.#options.log.error(`Failed to handle an event for ${key}: ${String(error)}`);
    });
  }
}

/**
 * The body, followed by the links of attachments that nothing else records (no attachment
 * service, or the download failed): then the links themselves are all there is to keep.
 */
function withLinks(body: string, attachments: readonly OobAttachment[] | undefined): string {
  const links = (attachments ?? []).map((attachment) => `[attachment: ${attachment.url}]`);
  return [body, ...links].filter((part) => part !== "").join("\n");
}
