/**
 * The rooms the agent wants to be in (XEP-0045), shared by both connection kinds: joins
 * them, unlocks the rooms its joins create, follows its own occupancy (joined, kicked,
 * banned, destroyed, nick conflicts), rejoins with backoff and after every reconnect, tracks
 * occupants, parses room messages for joined rooms only, marks private messages that come
 * through a room, and checks invitations. No socket here: stanzas go out through an injected
 * `send`, IQ requests through an injected `request`.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import { Backoff } from "./backoff.ts";
import type {
  GroupchatEvent,
  JoinRoomAction,
  MessageEvent,
  NewRoomConfig,
  ReactionEvent,
  RoomLeftEvent,
  XmppEvent,
} from "./events.ts";
import type { RoomView } from "./groupchat.ts";
import { bareJid } from "../jid/mod.ts";
import { configureNewRoom } from "./muc_room_setup.ts";
import type { IqRequest } from "./muc_services.ts";
import { RoomTraffic } from "./muc_traffic.ts";
import {
  buildJoinPresence,
  buildLeavePresence,
  explainDeparture,
  type MucPresence,
  MucStatus,
  parseMucPresence,
} from "./xep_0045_muc.ts";
import type { XmlElement } from "./_xml.ts";

/** Timer functions, injectable for tests. */
export interface RoomTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Options for {@linkcode RoomRegistry}. */
export interface RoomRegistryOptions {
  /** Sends a stanza on the current session. */
  send: (stanza: XmlElement) => void;
  /** Sends an IQ request on the current session (disco#info, room configuration). */
  request: IqRequest;
  /** Receives `room_joined` and `room_left` events. */
  emit: (event: XmppEvent) => void;
  logger: Logger;
  /** The address the agent joins from (component mode); absent in client mode. */
  from?: string;
  /** @default {globalThis's setTimeout and clearTimeout} */
  timers?: RoomTimers;
  /** Makes the rejoin delays of one room. @default {() => new Backoff()} (2 s doubling to 60 s) */
  backoff?: () => Backoff;
  /** How many sent message ids are remembered per room to recognise reflections. @default {100} */
  sentIdsKept?: number;
}

/** One room's state, as {@linkcode RoomRegistry.list} reports it. */
export interface RoomStatus {
  room: string;
  /** The nick the room gave the agent (joined), or the one it asks for next. */
  nick: string;
  joined: boolean;
}

type Phase = "offline" | "joining" | "joined" | "waiting";

interface Room {
  room: string;
  nick: string;
  attemptNick: string;
  password: string | undefined;
  history: number;
  create: NewRoomConfig | undefined;
  phase: Phase;
  currentNick: string | undefined;
  conflicts: number;
  backoff: Backoff;
  timer: unknown;
  sent: string[];
  occupants: Map<string, string | undefined>;
}

/**
 * The desired set of rooms and what the agent knows about each.
 *
 * @example
 * ```ts
 * const rooms = new RoomRegistry({ send, emit, logger });
 * rooms.join({ type: "join", room: "team@conference.example.org", nick: "bot" });
 * rooms.online(); // after every (re)connect: joins every desired room
 * ```
 */
export class RoomRegistry {
  #options: RoomRegistryOptions;
  #log: Logger;
  #timers: RoomTimers;
  #rooms = new Map<string, Room>();
  #online = false;
  #traffic: RoomTraffic;

  constructor(options: RoomRegistryOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    };
    this.#traffic = new RoomTraffic({
      room: (jid) => this.#view(jid),
      request: options.request,
      emit: options.emit,
      logger: options.logger,
      from: options.from,
    });
  }

  /** The desired rooms. */
  list(): RoomStatus[] {
    return [...this.#rooms.values()].map((r) => ({
      room: r.room,
      nick: r.currentNick ?? r.attemptNick,
      joined: r.phase === "joined",
    }));
  }

  /**
   * Adds a room to the desired set and joins it now when online (else on the next `online()`).
   *
   * @throws {TypeError} When `action.room` is not a valid bare JID.
   */
  join(action: JoinRoomAction): void {
    const room = bareJid(action.room);
    if (room === undefined || action.room.includes("/")) {
      throw new TypeError(`Invalid room JID "${action.room}"`);
    }
    const known = this.#rooms.get(room);
    if (known !== undefined && known.nick === action.nick && known.phase !== "waiting") {
      known.password = action.password;
      known.history = action.historyMaxStanzas ?? 0;
      known.create = action.create;
      return;
    }
    if (known !== undefined) this.#timers.clearTimeout(known.timer);
    const state: Room = {
      room,
      nick: action.nick,
      attemptNick: action.nick,
      password: action.password,
      history: action.historyMaxStanzas ?? 0,
      create: action.create,
      phase: "offline",
      currentNick: undefined,
      conflicts: 0,
      backoff: this.#newBackoff(),
      timer: undefined,
      sent: known?.sent ?? [],
      occupants: new Map(),
    };
    this.#rooms.set(room, state);
    if (this.#online) this.#sendJoin(state);
    else this.#log.info(`Will join ${room} as "${action.nick}" once online`);
  }

  /** Leaves a room and removes it from the desired set (emits `room_left` with `left`). */
  leave(room: string): void {
    const state = this.#rooms.get(bareJid(room) ?? room);
    if (state === undefined) return;
    this.#rooms.delete(state.room);
    this.#timers.clearTimeout(state.timer);
    if (this.#online && (state.phase === "joined" || state.phase === "joining")) {
      const nick = state.currentNick ?? state.attemptNick;
      this.#options.send(buildLeavePresence(state.room, nick, this.#options.from));
    }
    this.#log.info(`Left ${state.room} (asked to leave)`);
    this.#options.emit({ type: "room_left", room: state.room, reason: "left" });
  }

  /** The session is up: joins every desired room, with its configured nick. */
  online(): void {
    this.#online = true;
    for (const state of this.#rooms.values()) {
      this.#timers.clearTimeout(state.timer);
      state.timer = undefined;
      state.attemptNick = state.nick;
      state.conflicts = 0;
      this.#sendJoin(state);
    }
  }

  /** The session is down: no room is joined until the next `online()`. */
  offline(): void {
    this.#online = false;
    for (const state of this.#rooms.values()) {
      this.#timers.clearTimeout(state.timer);
      state.timer = undefined;
      state.phase = "offline";
      state.currentNick = undefined;
      state.occupants.clear();
    }
  }

  /**
   * Follows a presence from a desired room (own occupancy, other occupants).
   *
   * @returns `true` when the presence was about a desired room.
   */
  handlePresence(stanza: XmlElement): boolean {
    const presence = parseMucPresence(stanza);
    const state = presence === undefined ? undefined : this.#rooms.get(presence.room);
    if (presence === undefined || state === undefined) return false;
    // Offline (the session ended, or stops and said goodbye): the room's answer to that is no
    // departure to rejoin after; online() joins every room again anyway.
    if (!this.#online) return true;
    if (presence.kind === "error") {
      if (state.phase === "joining") this.#departed(state, presence);
      else this.#log.debug(`Error presence from ${stanza.attrs.from}: ${presence.error}`);
      return true;
    }
    const self = presence.statuses.includes(MucStatus.SELF) ||
      (state.phase === "joined" && presence.nick === state.currentNick);
    if (!self) {
      this.#trackOccupant(state, presence);
    } else if (presence.kind === "available") {
      this.#joined(state, presence);
    } else if (presence.statuses.includes(MucStatus.NICK_CHANGED) && presence.newNick) {
      state.currentNick = presence.newNick;
    } else {
      this.#departed(state, presence);
    }
    return true;
  }

  /**
   * Parses a `groupchat` message: an event for a joined room, `undefined` otherwise
   * (rooms not joined, subjects, the room's own notices).
   */
  handleGroupchat(stanza: XmlElement): GroupchatEvent | ReactionEvent | undefined {
    return this.#traffic.groupchat(stanza);
  }

  /**
   * Takes a message carrying an invitation, checks it in the background and emits it when
   * genuine ({@linkcode RoomTraffic.invitation}).
   *
   * @returns `true` when the message carried an invitation.
   */
  handleInvitation(stanza: XmlElement): boolean {
    return this.#traffic.invitation(stanza);
  }

  /**
   * Marks a one-to-one message or reaction sent through one of the agent's rooms with its
   * occupant ({@linkcode RoomTraffic.throughRoom}).
   */
  throughRoom<E extends MessageEvent | ReactionEvent>(event: E | undefined): E | undefined {
    return this.#traffic.throughRoom(event);
  }

  /** Remembers an id the agent sent to `room`, so its reflection is recognised as its own. */
  rememberSent(room: string, id: string): void {
    const state = this.#rooms.get(bareJid(room) ?? room);
    if (state === undefined) return;
    state.sent.push(id);
    if (state.sent.length > (this.#options.sentIdsKept ?? 100)) state.sent.shift();
  }

  #sendJoin(state: Room): void {
    state.phase = "joining";
    this.#log.info(`Joining ${state.room} as "${state.attemptNick}"`);
    this.#options.send(
      buildJoinPresence(state.room, state.attemptNick, {
        password: state.password,
        historyMaxStanzas: state.history,
        from: this.#options.from,
      }),
    );
  }

  #joined(state: Room, presence: MucPresence): void {
    const changed = state.phase !== "joined" || state.currentNick !== presence.nick;
    state.phase = "joined";
    state.currentNick = presence.nick;
    state.conflicts = 0;
    state.backoff = this.#newBackoff();
    state.occupants.set(presence.nick, presence.realJid);
    if (presence.statuses.includes(MucStatus.CREATED)) this.#unlock(state);
    if (!changed) return;
    const assigned = presence.statuses.includes(MucStatus.NICK_ASSIGNED)
      ? " (nick assigned by the room)"
      : "";
    this.#log.info(`Joined ${state.room} as "${presence.nick}"${assigned}`);
    this.#options.emit({ type: "room_joined", room: state.room, nick: presence.nick });
  }

  /** The join created the room: as its owner, configure it so that others may join. */
  #unlock(state: Room): void {
    const password = state.password === undefined ? {} : { password: state.password };
    void configureNewRoom(state.room, { ...state.create, ...password }, {
      request: this.#options.request,
      logger: this.#log,
      from: this.#options.from,
    });
  }

  /** What parsing a desired room's traffic needs to know about it. */
  #view(jid: string): { joined: boolean; view: RoomView } | undefined {
    const state = this.#rooms.get(jid);
    if (state === undefined) return undefined;
    const joined = state.phase === "joined";
    return {
      joined,
      view: {
        room: state.room,
        nick: state.currentNick,
        sentId: (id) => state.sent.includes(id),
        realJidOf: (nick) => joined ? state.occupants.get(nick) : undefined,
      },
    };
  }

  #trackOccupant(state: Room, presence: MucPresence): void {
    if (presence.nick === "") return;
    if (presence.kind === "available") {
      state.occupants.set(presence.nick, presence.realJid);
      return;
    }
    state.occupants.delete(presence.nick);
    if (presence.statuses.includes(MucStatus.NICK_CHANGED) && presence.newNick) {
      state.occupants.set(presence.newNick, presence.realJid);
    }
  }

  #departed(state: Room, presence: MucPresence): void {
    const { reason, detail, retry } = explainDeparture(presence);
    let next = state.nick;
    if (reason === "conflict") {
      state.conflicts++;
      next = state.conflicts === 1 ? `${state.nick}_` : `${state.nick}${state.conflicts}`;
    }
    const what = reason === "conflict" ? `nick "${state.attemptNick}" is taken` : detail;
    this.#left(state, reason, what, next, retry);
  }

  #left(
    state: Room,
    reason: RoomLeftEvent["reason"],
    detail: string,
    nextNick = state.nick,
    retry = true,
  ): void {
    state.phase = "waiting";
    state.currentNick = undefined;
    state.occupants.clear();
    state.attemptNick = nextNick;
    this.#options.emit({ type: "room_left", room: state.room, reason, detail });
    if (!retry) {
      this.#rooms.delete(state.room);
      this.#log.warn(`Left ${state.room} (${reason}: ${detail}); not rejoining`);
      return;
    }
    const delay = state.backoff.next();
    this.#log.warn(
      `Left ${state.room} (${reason}: ${detail}); rejoining in ${delay / 1000} s as "${nextNick}"`,
    );
    state.timer = this.#timers.setTimeout(() => {
      state.timer = undefined;
      if (this.#online && this.#rooms.get(state.room) === state) this.#sendJoin(state);
    }, delay);
  }

  #newBackoff(): Backoff {
    return this.#options.backoff?.() ?? new Backoff();
  }
}
