/**
 * What the agent does about presence and rooms: it accepts subscriptions from allowed JIDs
 * (and, as a component, remembers its contacts and tells them it is back), asks allowed JIDs
 * to share their presence (client mode), and joins the configured rooms and the rooms it is
 * invited to by allowed JIDs.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type {
  InviteEvent,
  NewRoomConfig,
  ProbeEvent,
  RosterItem,
  XmppAction,
} from "../xmpp/mod.ts";
import { isSubscribedTo } from "../xmpp/mod.ts";
import { normaliseBareJid } from "../jid/mod.ts";
import { type ContactBook, contactKey } from "./contact_book.ts";
import { checkSender, type PolicyRules } from "./policy.ts";
import type { RoomActivation } from "./room_activation.ts";
import type { RoomBook } from "./room_book.ts";

/** A room the agent sits in, from the config. */
export interface RoomSettings {
  jid: string;
  nick: string;
  activation: RoomActivation;
  historyOnJoin: number;
  password?: string;
  downloadAttachments: boolean;
  /**
   * Whose turns may use tools and have attachments downloaded: occupants whose real JID is
   * allowed, or everyone in the room. @default {"allowed"}
   */
  tools?: "allowed" | "everyone";
  /** What to submit if the agent's join creates the room (else the service's defaults). */
  create?: NewRoomConfig;
  /**
   * Answer mentions among the messages missed while away (the room's archive, its history on
   * join); else they are only stored. @default {false}
   */
  answerMissed?: boolean;
}

/** What {@linkcode Membership} needs. */
export interface MembershipOptions {
  /** Sends stanzas and reads the roster (client mode). */
  xmpp: { send(action: XmppAction): void; roster(): Promise<RosterItem[]> };
  /** Who may subscribe, probe and invite. */
  rules: PolicyRules;
  log: Logger;
  /** The clock (when a contact subscribed, when a room was joined). */
  now: () => Date;
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
}

const INVITED_NICK = "fluux-agent";
/** The queue of changes to the contact book (a space: never a conversation's JID). */
const CONTACTS = " contacts";

/** Presence and rooms, for the {@linkcode Agent}. */
export class Membership {
  #options: MembershipOptions;
  #enqueue: (key: string, task: () => Promise<void>) => void;
  #rooms = new Map<string, RoomSettings>();
  #nicks = new Map<string, string>();
  #joinedOnce = false;
  /** Allowed JIDs asked to share their presence by this process (asked once, not per connect). */
  #asked = new Set<string>();
  /** Contacts whose presence the agent receives (roster subscription "to" or "both"), client mode. */
  #followed = new Set<string>();

  /**
   * @param options Policy, XMPP, books.
   * @param enqueue Runs a task on a serial queue the agent waits for when idle.
   */
  constructor(
    options: MembershipOptions,
    enqueue: (key: string, task: () => Promise<void>) => void,
  ) {
    this.#options = options;
    this.#enqueue = enqueue;
    for (const room of options.rooms ?? []) this.#rooms.set(room.jid, room);
  }

  /** The settings of a room: configured, else defaults for a room joined on invitation. */
  room(jid: string): RoomSettings {
    return this.#rooms.get(jid) ?? {
      jid,
      nick: INVITED_NICK,
      activation: "mention",
      historyOnJoin: 0,
      downloadAttachments: false,
    };
  }

  /** Whether `jid` is one of the agent's rooms (configured, or joined this run). */
  isRoom(jid: string): boolean {
    return this.#rooms.has(jid) || this.#nicks.has(jid);
  }

  /**
   * Whether the agent may speak first to `jid` (a webhook's result, a schedule's): an allowed
   * JID in its normal form, or one of its rooms — configured, joined, or remembered from an
   * invitation (not rejoined yet at start). What the inbox or `schedules.json` name is checked
   * here as the config's `to` was when it loaded: those files can be edited.
   */
  async mayReach(jid: string): Promise<boolean> {
    if (typeof jid !== "string") return false;
    if (this.isRoom(jid)) return true;
    let bare: string;
    try {
      bare = normaliseBareJid(jid);
    } catch {
      return false;
    }
    if (bare !== jid) return false;
    if (checkSender(bare, this.#options.rules).allowed) return true;
    return await this.#options.roomBook?.has(bare) ?? false;
  }

  /** The XMPP server's domain, whose rooms are believed about their occupants. */
  get serverDomain(): string {
    return this.#options.rules.serverDomain ?? this.#options.rules.ownDomain;
  }

  /** The agent's nick in a room: the one the room gave it, else the configured one. */
  nick(room: string): string {
    return this.#nicks.get(room) ?? this.room(room).nick;
  }

  /** Records the nick a room gave the agent. */
  joined(room: string, nick: string): void {
    this.#nicks.set(room, nick);
  }

  /**
   * Whether the agent receives `bare`'s presence (its roster, read at each new session, says
   * so). Only then does an unavailable presence mean the contact is offline: a server also
   * answers a pending subscription request with one.
   */
  follows(bare: string): boolean {
    return this.#followed.has(bare);
  }

  /** The `from` to answer with: the address written to, in component mode. */
  from(to: string | undefined): { from?: string } {
    return this.#options.mode === "component" && to !== undefined ? { from: to } : {};
  }

  /**
   * An allowed JID asks to see the agent's presence (the policy decided already): it gets it,
   * and in component mode is remembered.
   */
  subscribe(bare: string, to: string | undefined): void {
    const { contactBook, log, mode, now, xmpp } = this.#options;
    xmpp.send({ type: "subscribed", to: bare, ...this.from(to) });
    log.info(`Accepted the subscription request of ${bare}`);
    if (mode !== "component" || contactBook === undefined || to === undefined) return;
    const since = now().toISOString();
    this.#enqueue(CONTACTS, () => contactBook.put({ jid: bare, address: to, since }));
  }

  /**
   * Component mode: a contact's server asks for an address's presence (RFC 6121 §4.3).
   * Allowed JIDs get it. A server probes only for users whose roster subscribes to the
   * address, so the contact is remembered too: one who subscribed before the agent kept
   * `contacts.json`, or whose entry was lost, is told again on the next connect. The policy
   * decided already that the prober is allowed.
   */
  probe(event: ProbeEvent): void {
    const { contactBook, mode, now, xmpp } = this.#options;
    if (mode !== "component") return;
    xmpp.send({ type: "announce", to: event.from, from: event.to });
    if (contactBook === undefined) return;
    const contact = { jid: event.bare, address: event.to };
    this.#enqueue(CONTACTS, async () => {
      if (await contactBook.has(contactKey(contact))) return;
      await contactBook.put({ ...contact, since: now().toISOString() });
    });
  }

  /** Someone no longer wants the agent's presence (component mode forgets them). */
  unsubscribe(bare: string, to: string | undefined): void {
    const { contactBook, mode } = this.#options;
    if (mode !== "component" || contactBook === undefined || to === undefined) return;
    this.#enqueue(CONTACTS, () => contactBook.delete(contactKey({ jid: bare, address: to })));
  }

  /**
   * An invitation the policy accepted (it comes from, or leads to, a room of a MUC service,
   * and `inviter` is allowed): the room is remembered, then joined.
   */
  async invite(event: InviteEvent, inviter: string): Promise<void> {
    const { log, roomBook, xmpp } = this.#options;
    const nick = this.room(event.room).nick;
    // Remembered first, so a restart right after the join still knows the room.
    await roomBook?.put({
      jid: event.room,
      nick,
      inviter,
      ...(event.password === undefined ? {} : { password: event.password }),
      joined: this.#options.now().toISOString(),
    });
    xmpp.send({
      type: "join",
      room: event.room,
      nick,
      ...(event.password === undefined ? {} : { password: event.password }),
    });
    log.info(`Joining ${event.room}, invited by ${inviter}`);
  }

  /**
   * Asks the XMPP layer for the configured and remembered rooms, once (it rejoins them after
   * each reconnect). Asked before the connection starts, the joins go out ahead of what was
   * queued meanwhile: a room answer sent again or given after a restart needs the room joined,
   * or the room refuses it. Otherwise asked at the first {@linkcode online}.
   */
  async joinRooms(): Promise<void> {
    if (this.#joinedOnce) return;
    this.#joinedOnce = true;
    for (const room of this.#rooms.values()) this.#join(room);
    for (const booked of await this.#options.roomBook?.list() ?? []) {
      if (this.#rooms.has(booked.jid)) continue;
      this.#join({
        ...this.room(booked.jid),
        nick: booked.nick,
        ...(booked.password === undefined ? {} : { password: booked.password }),
      });
    }
  }

  /**
   * The session is up: joins the rooms if that was not asked yet, then asks allowed JIDs for
   * their presence (client) or tells the remembered contacts the agent is back (component).
   */
  async online(): Promise<void> {
    await this.joinRooms();
    if ((this.#options.mode ?? "client") === "client") await this.#subscribeToAllowed();
    else await this.#announceToContacts();
  }

  #join(room: RoomSettings): void {
    try {
      this.#options.xmpp.send({
        type: "join",
        room: room.jid,
        nick: room.nick,
        historyMaxStanzas: room.historyOnJoin,
        ...(room.password === undefined ? {} : { password: room.password }),
        ...(room.create === undefined ? {} : { create: room.create }),
      });
    } catch (error) {
      // A room the book holds by a name that is not a JID (an edited file) must not stop the
      // start, nor the other rooms.
      this.#options.log.warn(`Cannot join ${JSON.stringify(room.jid)}: ${String(error)}`);
    }
  }

  async #subscribeToAllowed(): Promise<void> {
    const { log, rules, xmpp } = this.#options;
    const wanted = rules.allowedJids.filter((jid) => jid !== "*");
    try {
      const roster = new Map((await xmpp.roster()).map((item) => [item.jid, item]));
      this.#followed = new Set(
        [...roster.values()].filter((item) =>
          item.subscription === "to" || item.subscription === "both"
        )
          .map((item) => item.jid),
      );
      for (const jid of wanted) {
        const item = roster.get(jid);
        // Someone who declined is not asked again at every reconnect: once per run at most.
        if (this.#asked.has(jid) || (item !== undefined && isSubscribedTo(item))) continue;
        this.#asked.add(jid);
        xmpp.send({ type: "subscribe", to: jid });
        log.info(`Asked ${jid} to share presence`);
      }
    } catch (error) {
      log.warn(`Could not read the roster: ${String(error)}`);
    }
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
}
