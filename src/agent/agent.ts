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
  InviteEvent,
  MessageEvent,
  OobAttachment,
  ReactionEvent,
  RosterItem,
  XmppAction,
  XmppEvent,
} from "../xmpp/mod.ts";
import { isSubscribedTo } from "../xmpp/mod.ts";
import type { AttachmentIntake } from "./attachment_intake.ts";
import { KeyedQueue } from "../async/mod.ts";
import { checkSender, type PolicyRules } from "./policy.ts";
import { addressedText, type RoomActivation } from "./room_activation.ts";
import type { RoomBook } from "./room_book.ts";
import { type ContactBook, contactKey } from "./contact_book.ts";
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

/** A room the agent sits in, from the config. */
export interface RoomSettings {
  jid: string;
  nick: string;
  activation: RoomActivation;
  historyOnJoin: number;
  password?: string;
  downloadAttachments: boolean;
}

/** Options for {@linkcode Agent}. */
export interface AgentOptions extends Omit<TurnContext, "memory" | "send"> {
  memory: TurnMemory & CommandMemory;
  xmpp: AgentXmpp;
  rules: PolicyRules;
  /** Facts for `/status`. */
  status: () => AgentStatus;
  /** `component` answers from the address a message was sent to. @default {"client"} */
  mode?: "client" | "component";
  /** Rooms from the config. @default {[]} */
  rooms?: RoomSettings[];
  /** Rooms joined on invitation, remembered across restarts. */
  roomBook?: RoomBook;
  /**
   * Component mode: the contacts who subscribed to the agent's presence, told on every
   * connect that it is available (a component has no roster on the server).
   */
  contactBook?: ContactBook;
  /** Bare JIDs allowed to use developer commands. @default {[]} */
  devJids?: readonly string[];
  /** Answer reactions through the LLM (they are always stored). @default {false} */
  respondToReactions?: boolean;
  /** Downloads attachments and turns them into LLM content. */
  attachments?: AttachmentIntake;
  /** More slash commands (e.g. `/skills`), after the built-in ones. @default {[]} */
  commands?: Command[];
}

const INVITED_NICK = "fluux-agent";
/** The queue of changes to the contact book (a space: never a conversation's JID). */
const CONTACTS = " contacts";

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
  #rooms = new Map<string, RoomSettings>();
  #nicks = new Map<string, string>();
  #joinedOnce = false;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#commands = new CommandRegistry([...builtinCommands(), ...(options.commands ?? [])]);
    for (const room of options.rooms ?? []) this.#rooms.set(room.jid, room);
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
        return this.#onSubscribe(event.bare, event.to);
      case "unsubscribe":
        return this.#onUnsubscribe(event.bare, event.to);
      case "invite":
        return void this.#onInvite(event);
      case "room_joined":
        this.#nicks.set(event.room, event.nick);
        this.#options.log.info(`Joined ${event.room} as "${event.nick}"`);
        return;
      case "room_left":
        this.#options.log.warn(
          `Left ${event.room} (${event.reason}${event.detail ? `: ${event.detail}` : ""})`,
        );
        return;
      case "online":
        return void this.#onOnline();
      case "offline":
        return;
    }
  }

  /** Resolves when every queued conversation is done. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  #onMessage(message: MessageEvent): void {
    const { log, rules } = this.#options;
    const decision = checkSender(message.bare, rules);
    if (!decision.allowed) {
      log.info(`Ignored a message from ${message.bare}: ${decision.reason}`);
      return;
    }
    this.#enqueue(message.bare, () => this.#answerDirect(message));
  }

  async #answerDirect(message: MessageEvent): Promise<void> {
    const session: SessionRef = message.thread === undefined
      ? message.bare
      : { jid: message.bare, thread: message.thread };
    const reply: ReplyTarget = {
      to: message.from,
      messageType: "chat",
      ...this.#from(message.to),
      ...(message.thread === undefined ? {} : { thread: message.thread }),
    };
    const line = parseCommandLine(message.body);
    if (line !== undefined) {
      const dev = (this.#options.devJids ?? []).includes(message.bare);
      await this.#command(line, message.bare, session, reply, { dev, erase: true });
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
      entry: {
        type: "message",
        role: "user",
        content: withLinks(message.body, intake === undefined ? message.attachments : undefined),
        ...(message.id === undefined ? {} : { msg_id: message.id }),
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
    const room = this.#roomSettings(event.room);
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
    const intake = event.attachments?.length && room.downloadAttachments
      ? await this.#options.attachments?.receive(event.room, event.attachments)
      : undefined;
    if (!event.delayed) await startNewSessionIfIdle(session, this.#options);
    const listed = event.attachments?.length && !room.downloadAttachments
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
    const nick = this.#nicks.get(event.room) ?? room.nick;
    const { addressed, text } = addressedText(event.body, nick, room.activation);
    if (!addressed) return;
    const reply: ReplyTarget = {
      to: event.room,
      messageType: "groupchat",
      ...(event.thread === undefined ? {} : { thread: event.thread }),
    };
    const line = parseCommandLine(text);
    if (line !== undefined) {
      const real = event.realJid;
      const rights: CommandRights = {
        dev: real !== undefined && (this.#options.devJids ?? []).includes(real),
        erase: real !== undefined && checkSender(real, this.#options.rules).allowed,
      };
      await this.#command(line, event.room, session, reply, rights);
      return;
    }
    await runTurn({
      conversation: session,
      promptJid: event.room,
      reply,
      ...(intake?.blocks.length ? { attachments: intake.blocks } : {}),
      situation: `You are taking part in the group chat ${event.room} under the nick ` +
        `"${nick}". Each user message starts with its speaker's nick. Reply to the last ` +
        `message, from ${event.nick}; keep it short, the room is shared.`,
    }, this.#turnContext());
  }

  #onReaction(event: ReactionEvent): void {
    const { log, rules } = this.#options;
    if (event.room === undefined) {
      const decision = checkSender(event.bare, rules);
      if (!decision.allowed) {
        log.info(`Ignored a reaction from ${event.bare}: ${decision.reason}`);
        return;
      }
    }
    const key = event.room ?? event.bare;
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
        reply: event.room === undefined
          ? { to: event.from, messageType: "chat", ...this.#from(event.to) }
          : { to: event.room, messageType: "groupchat" },
      }, this.#turnContext());
    });
  }

  async #command(
    line: { name: string; args: string },
    jid: string,
    session: SessionRef,
    reply: ReplyTarget,
    rights: CommandRights,
  ): Promise<void> {
    const options = this.#options;
    const body = await this.#commands.execute(line, {
      jid,
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
  }

  #onSubscribe(bare: string, to: string | undefined): void {
    const { log, rules, xmpp } = this.#options;
    const decision = checkSender(bare, rules);
    if (!decision.allowed) {
      log.info(`Ignored a subscription request from ${bare}: ${decision.reason}`);
      return;
    }
    xmpp.send({ type: "subscribed", to: bare, ...this.#from(to) });
    log.info(`Accepted the subscription request of ${bare}`);
    const { contactBook, mode, now } = this.#options;
    if (mode !== "component" || contactBook === undefined || to === undefined) return;
    this.#enqueue(
      CONTACTS,
      () => contactBook.put({ jid: bare, address: to, since: now().toISOString() }),
    );
  }

  #onUnsubscribe(bare: string, to: string | undefined): void {
    const { contactBook, mode } = this.#options;
    if (mode !== "component" || contactBook === undefined || to === undefined) return;
    this.#enqueue(CONTACTS, () => contactBook.delete(contactKey({ jid: bare, address: to })));
  }

  async #onInvite(event: InviteEvent): Promise<void> {
    const { log, rules, roomBook, xmpp } = this.#options;
    if (event.inviter === event.room) {
      log.info(
        `Ignored an invitation to ${event.room}: the room hides who sent it ` +
          "(invite from a non-anonymous room, or send a direct invitation, XEP-0249)",
      );
      return;
    }
    const decision = checkSender(event.inviter, rules);
    if (!decision.allowed) {
      log.info(`Ignored an invitation to ${event.room} from ${event.inviter}: ${decision.reason}`);
      return;
    }
    const nick = this.#roomSettings(event.room).nick;
    // Remembered first, so a restart right after the join still knows the room.
    await roomBook?.put({
      jid: event.room,
      nick,
      inviter: event.inviter,
      ...(event.password === undefined ? {} : { password: event.password }),
      joined: this.#options.now().toISOString(),
    });
    xmpp.send({
      type: "join",
      room: event.room,
      nick,
      ...(event.password === undefined ? {} : { password: event.password }),
    });
    log.info(`Joining ${event.room}, invited by ${event.inviter}`);
  }

  async #onOnline(): Promise<void> {
    if (!this.#joinedOnce) {
      // The XMPP layer rejoins every room it was asked to join after each reconnect.
      this.#joinedOnce = true;
      for (const room of this.#rooms.values()) this.#join(room);
      for (const booked of await this.#options.roomBook?.list() ?? []) {
        if (this.#rooms.has(booked.jid)) continue;
        this.#join({ ...this.#roomSettings(booked.jid), nick: booked.nick });
      }
    }
    if ((this.#options.mode ?? "client") === "client") await this.#subscribeToAllowed();
    else await this.#announceToContacts();
  }

  /** Component mode: tells each remembered contact, still allowed, that the agent is back. */
  async #announceToContacts(): Promise<void> {
    const { contactBook, log, rules, xmpp } = this.#options;
    try {
      for (const contact of await contactBook?.list() ?? []) {
        if (!checkSender(contact.jid, rules).allowed) continue;
        xmpp.send({ type: "announce", to: contact.jid, from: contact.address });
      }
    } catch (error) {
      log.warn(`Could not read the contacts: ${String(error)}`);
    }
  }

  #join(room: RoomSettings): void {
    this.#options.xmpp.send({
      type: "join",
      room: room.jid,
      nick: room.nick,
      historyMaxStanzas: room.historyOnJoin,
      ...(room.password === undefined ? {} : { password: room.password }),
    });
  }

  async #subscribeToAllowed(): Promise<void> {
    const { log, rules, xmpp } = this.#options;
    const wanted = rules.allowedJids.filter((jid) => jid !== "*");
    if (wanted.length === 0) return;
    try {
      const roster = new Map((await xmpp.roster()).map((item) => [item.jid, item]));
      for (const jid of wanted) {
        const item = roster.get(jid);
        if (item !== undefined && isSubscribedTo(item)) continue;
        xmpp.send({ type: "subscribe", to: jid });
        log.info(`Asked ${jid} to share presence`);
      }
    } catch (error) {
      log.warn(`Could not read the roster: ${String(error)}`);
    }
  }

  /** The settings of a room: configured, else defaults for a room joined on invitation. */
  #roomSettings(jid: string): RoomSettings {
    return this.#rooms.get(jid) ?? {
      jid,
      nick: INVITED_NICK,
      activation: "mention",
      historyOnJoin: 0,
      downloadAttachments: false,
    };
  }

  /** Whether a message id is already in the session (history replayed on rejoin). */
  async #seen(session: SessionRef, id: string): Promise<boolean> {
    const entries = await this.#options.memory.recent(session, 200, { include: "all" });
    return entries.some((entry) => (entry as { msg_id?: unknown }).msg_id === id);
  }

  #from(to: string | undefined): { from?: string } {
    return this.#options.mode === "component" && to !== undefined ? { from: to } : {};
  }

  #turnContext(): TurnContext {
    const options = this.#options;
    return { ...options, send: (action) => options.xmpp.send(action) };
  }

  #enqueue(key: string, task: () => Promise<void>): void {
    this.#queue.run(key, task).catch((error) => {
      this.#options.log.error(`Failed to handle an event for ${key}: ${String(error)}`);
    });
  }
}

/**
 * The body, followed by the links of attachments that nothing else records (no attachment
 * service, or nothing downloaded): then the links themselves are all there is to keep.
 */
function withLinks(body: string, attachments: readonly OobAttachment[] | undefined): string {
  const links = (attachments ?? []).map((attachment) => `[attachment: ${attachment.url}]`);
  return [body, ...links].filter((part) => part !== "").join("\n");
}
