/**
 * Catching up after time away (client mode), through archives (XEP-0313). At every new
 * session the agent asks its own archive for the messages that came after the last one it
 * received, and after joining a room, the room's archive; each message goes to the normal
 * inbound path, oldest first, as if it had just arrived (a room's with a `<delay/>`, as
 * room history). The agent recognises a message it already has by its stanza-id (the
 * archive id), so one delivered by offline storage or room history too, or received just
 * before a crash, is handled once. While an archive is read, a message that arrives live
 * for it (from someone else, or in that room) waits until the archive has handed on all it
 * has (a few seconds at most): what a person sent while the agent was away is answered before
 * what they send as it comes back, and a room's history keeps the room's order.
 *
 * Where to start is kept in a small file (`catchup.json` in the data directory): per archive,
 * the id of the last message received and when. The first run of an archive only marks where
 * it ends; an id the archive no longer has falls back to the time.
 *
 * @module
 */
import { bareJid } from "../jid/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { XmppEvent } from "./events.ts";
import { buildMamQuery, isMamResult, type MamFrom, parseMamFin } from "./xep_0313_mam.ts";
import { NS_MAM, parseMamResult } from "./xep_0313_mam.ts";
import { NS_DELAY } from "./xep_0203_delay.ts";
import { NS_STANZA_ID, stanzaIdBy } from "./xep_0359_stanza_ids.ts";
import { errorText } from "./_socket_util.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";

/** Where the positions in the archives are kept. */
export interface CursorFile {
  /** The file's text, or `undefined` when there is none yet. */
  read(): Promise<string | undefined>;
  /** Replaces the file's text. */
  write(text: string): Promise<void>;
}

/** A position: the archive id of the last message received, and when it was. */
interface Cursor {
  id?: string;
  at: string;
}

/** The file: the agent's own archive's position, and each room's. */
interface Cursors {
  own?: Cursor;
  rooms: Record<string, Cursor>;
}

/** Options for {@linkcode MamCatchUp}. */
export interface MamCatchUpOptions {
  /** The agent's bare JID: its archive, and the `by` of the ids it trusts. */
  ownJid: string;
  file: CursorFile;
  logger: Logger;
  /** Hands an archived message to the normal inbound path. */
  receive: (message: XmlElement) => void;
  /** @default {() => new Date()} */
  now?: () => Date;
  /**
   * The longest a live message waits for its archive to be read; after it, live messages go on
   * as they come. @default {5000}
   */
  holdMs?: number;
  /** The most live messages kept waiting for one archive; one more lets them go on. @default {500} */
  maxHeld?: number;
  /** Results per page. @default {50} */
  pageSize?: number;
  /** The most pages one catch-up reads. @default {40} */
  maxPages?: number;
  /**
   * How long a new position waits before it is written (0: at once, one write at a time).
   * Waiting saves writes on a busy conversation, but a position lost in a crash makes the
   * next catch-up hand on again what the inbox replays too: keep it 0 unless the archive's
   * messages are recognised by other means. @default {0}
   */
  saveDelayMs?: number;
}

/** The catch-up of one client connection. */
export class MamCatchUp {
  #options: MamCatchUpOptions;
  #own: string;
  #cursors: Cursors = { rooms: {} };
  #loading: Promise<void> | undefined;
  /**
   * Running queries by query id: the archive each reads (the agent's own bare JID, or a
   * room), and whether its results are handed on (not those that only find the end).
   */
  #queries = new Map<string, { archive: string; handOn: boolean }>();
  /** Archives being read, with the newest live message seen meanwhile. */
  #running = new Map<string, Cursor | undefined>();
  #injecting = false;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Messages handed on, by archive, in the running catch-up. */
  #received = new Map<string, number>();
  /** Live messages waiting for the archive being read, in arrival order, by archive. */
  #held = new Map<string, { messages: XmlElement[]; timer: ReturnType<typeof setTimeout> }>();

  constructor(options: MamCatchUpOptions) {
    this.#options = options;
    this.#own = bareJid(options.ownJid) ?? options.ownJid;
  }

  /** Follows live messages: the newest one's id is where the next catch-up starts. */
  observe(event: XmppEvent): void {
    if (this.#injecting) return;
    if (event.type === "message" && event.occupant === undefined && event.stanzaId) {
      this.#seen(this.#own, { id: event.stanzaId, at: this.#now() });
    } else if (event.type === "groupchat" && event.stanzaId !== undefined) {
      this.#seen(event.room, { id: event.stanzaId, at: this.#now() });
    }
  }

  /**
   * Takes a stanza out of the normal flow: `true` when `stanza` is a MAM result (handed on,
   * or dropped when it is not from the archive its query asked, or of no running query), or
   * a live message that waits for the archive being read.
   */
  intercept(stanza: XmlElement): boolean {
    if (!isMamResult(stanza)) return this.#hold(stanza);
    const queryId = stanza.getChild("result", NS_MAM)?.attrs.queryid ?? "";
    const query = this.#queries.get(queryId);
    if (query === undefined) return true;
    const { archive } = query;
    const from = stanza.attrs.from;
    // Only the archive asked speaks for it (Prosody sends the agent's own without a from).
    const genuine = archive === this.#own
      ? from === undefined || bareJid(from) === this.#own
      : from !== undefined && bareJid(from) === archive;
    if (!genuine) {
      this.#options.logger.warn(`Dropped an archive result from ${from}: not from ${archive}`);
      return true;
    }
    const result = parseMamResult(stanza, queryId);
    if (result === undefined) return true;
    this.#set(archive, { id: result.id, at: result.stamp ?? this.#now() });
    if (!query.handOn) return true;
    const message = archive === this.#own
      ? this.#direct(result.message, result.id)
      : this.#inRoom(result.message, archive, result);
    if (message === undefined) return true;
    this.#injecting = true;
    try {
      this.#options.receive(message);
    } finally {
      this.#injecting = false;
    }
    this.#received.set(archive, (this.#received.get(archive) ?? 0) + 1);
    return true;
  }

  /** Reads the agent's own archive (a new session; not after a resumption). */
  run(entity: XmppJsEntity): Promise<void> {
    return this.#catchUp(entity, this.#own);
  }

  /** Reads a room's archive, once the agent is in the room. */
  runRoom(entity: XmppJsEntity, room: string): Promise<void> {
    return this.#catchUp(entity, bareJid(room) ?? room);
  }

  /** Writes a position still waiting; resolves once the positions are on disk. */
  async flush(): Promise<void> {
    if (this.#saveTimer !== undefined) {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
      this.#save();
    }
    await this.#writing;
  }

  /** A message of the agent's own archive, ready for the inbound path; not the agent's own. */
  #direct(message: XmlElement, id: string): XmlElement | undefined {
    const sender = bareJid(message.attrs.from ?? "");
    const type = message.attrs.type ?? "normal";
    if (sender === undefined || sender === this.#own || (type !== "chat" && type !== "normal")) {
      return undefined;
    }
    if (stanzaIdBy(message, this.#own) === undefined) {
      message.append(xml("stanza-id", { xmlns: NS_STANZA_ID, by: this.#own, id }));
    }
    if (message.attrs.to === undefined) message.attrs.to = this.#own;
    return message;
  }

  /** A message of a room's archive, stamped as the room's history is. */
  #inRoom(
    message: XmlElement,
    room: string,
    result: { id: string; stamp?: string },
  ): XmlElement | undefined {
    if (message.attrs.type !== "groupchat" || bareJid(message.attrs.from ?? "") !== room) {
      return undefined;
    }
    if (stanzaIdBy(message, room) === undefined) {
      message.append(xml("stanza-id", { xmlns: NS_STANZA_ID, by: room, id: result.id }));
    }
    if (message.getChild("delay", NS_DELAY) === undefined) {
      message.append(xml("delay", { xmlns: NS_DELAY, from: room, stamp: result.stamp }));
    }
    return message;
  }

  /** Keeps a live message for after its archive, while that is read; `true` if kept. */
  #hold(stanza: XmlElement): boolean {
    if (this.#held.size === 0 || !stanza.is("message")) return false;
    const type = stanza.attrs.type ?? "normal";
    const sender = bareJid(stanza.attrs.from ?? "");
    if (sender === undefined) return false;
    // A room's messages wait for the room's archive; a person's, for the agent's own (not the
    // agent's own messages: carbons, and what its other sessions send).
    const archive = type === "groupchat"
      ? sender
      : (type === "chat" || type === "normal") && sender !== this.#own
      ? this.#own
      : undefined;
    if (archive === undefined) return false;
    const held = this.#held.get(archive);
    if (held === undefined) return false;
    if (held.messages.length >= (this.#options.maxHeld ?? 500)) {
      this.#release(archive);
      return false;
    }
    held.messages.push(stanza);
    return true;
  }

  /** Hands on the live messages kept for `archive`, in order, and stops keeping them. */
  #release(archive: string): void {
    const held = this.#held.get(archive);
    if (held === undefined) return;
    clearTimeout(held.timer);
    this.#held.delete(archive);
    for (const message of held.messages) this.#options.receive(message);
  }

  async #catchUp(entity: XmppJsEntity, archive: string): Promise<void> {
    if (this.#running.has(archive)) return;
    this.#running.set(archive, undefined);
    this.#received.set(archive, 0);
    const timer = setTimeout(() => this.#release(archive), this.#options.holdMs ?? 5_000);
    // Messages kept at a stop are in the archive still, after the position on disk.
    Deno.unrefTimer(timer as unknown as number);
    this.#held.set(archive, { messages: [], timer });
    const log = this.#options.logger;
    const what = archive === this.#own ? "the agent's archive" : `the archive of ${archive}`;
    try {
      await this.#load();
      const cursor = this.#get(archive);
      if (cursor === undefined) {
        const end = await this.#page(entity, archive, { last: true });
        this.#set(archive, {
          ...(end.last === undefined ? {} : { id: end.last }),
          at: this.#now(),
        });
        log.info(`Catch-up (XEP-0313): the end of ${what} is marked; later runs read from there`);
        return;
      }
      let from: MamFrom = cursor.id === undefined ? { start: cursor.at } : { after: cursor.id };
      for (let page = 0; page < (this.#options.maxPages ?? 40); page++) {
        let fin;
        try {
          fin = await this.#page(entity, archive, from);
        } catch (error) {
          if ("after" in from && isItemNotFound(error)) {
            log.info(`Catch-up (XEP-0313): ${what} no longer has the last message; by time`);
            from = { start: cursor.at };
            continue;
          }
          throw error;
        }
        if (fin.complete || fin.last === undefined) break;
        from = { after: fin.last };
      }
      const received = this.#received.get(archive) ?? 0;
      if (received > 0) log.info(`Read ${received} message(s) from ${what} (XEP-0313)`);
    } catch (error) {
      log.info(`Catch-up (XEP-0313) of ${what} did not run: ${errorText(error)}`);
    } finally {
      const live = this.#running.get(archive);
      this.#running.delete(archive);
      if (live !== undefined) this.#set(archive, live);
      this.#release(archive);
    }
  }

  async #page(
    entity: XmppJsEntity,
    archive: string,
    from: MamFrom,
  ): Promise<ReturnType<typeof parseMamFin>> {
    const queryId = crypto.randomUUID();
    this.#queries.set(queryId, { archive, handOn: !("last" in from) });
    const query = buildMamQuery(queryId, from, this.#options.pageSize ?? 50);
    const to = archive === this.#own ? undefined : archive;
    try {
      // Results come before the IQ's answer, each handed on as it arrives.
      const reply = await entity.iqCaller.request(
        xml("iq", { type: "set", to, id: crypto.randomUUID() }, query),
        30_000,
      );
      return parseMamFin(reply);
    } finally {
      this.#queries.delete(queryId);
    }
  }

  #seen(archive: string, cursor: Cursor): void {
    // While an archive is read, a live message is newer than all it gives: kept for the end.
    if (this.#running.has(archive)) this.#running.set(archive, cursor);
    else this.#set(archive, cursor);
  }

  #get(archive: string): Cursor | undefined {
    return archive === this.#own ? this.#cursors.own : this.#cursors.rooms[archive];
  }

  #load(): Promise<void> {
    this.#loading ??= this.#options.file.read().then((text) => {
      if (text === undefined) return;
      try {
        const data = JSON.parse(text) as { own?: unknown; rooms?: unknown };
        const own = asCursor(data.own);
        if (own !== undefined && this.#cursors.own === undefined) this.#cursors.own = own;
        if (typeof data.rooms === "object" && data.rooms !== null) {
          for (const [room, value] of Object.entries(data.rooms)) {
            const cursor = asCursor(value);
            if (cursor !== undefined) this.#cursors.rooms[room] ??= cursor;
          }
        }
      } catch {
        this.#options.logger.warn("Catch-up (XEP-0313): catchup.json is not JSON; starting anew");
      }
    }, (error: unknown) => {
      // Rejected, this promise ended the process from the next position's save (nothing
      // awaits those): a file that cannot be read (permissions, a folder) is a fresh start.
      this.#options.logger.warn(
        `Catch-up (XEP-0313): cannot read catchup.json (${errorText(error)}); starting anew`,
      );
    });
    return this.#loading;
  }

  #set(archive: string, cursor: Cursor): void {
    if (archive === this.#own) this.#cursors.own = cursor;
    else this.#cursors.rooms[archive] = cursor;
    if (this.#dirty) return;
    this.#dirty = true;
    const delay = this.#options.saveDelayMs ?? 0;
    if (delay <= 0) return this.#save();
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.#save();
    }, delay);
    // A position waiting to be written does not keep the process alive (stop() flushes it).
    Deno.unrefTimer(this.#saveTimer as unknown as number);
  }

  #save(): void {
    // One write at a time, of the newest positions, once the file's are known.
    this.#writing = this.#writing.then(() => this.#load()).then(async () => {
      this.#dirty = false;
      try {
        await this.#options.file.write(JSON.stringify(this.#cursors) + "\n");
      } catch (error) {
        this.#options.logger.warn(`Cannot write catchup.json: ${errorText(error)}`);
      }
    });
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }
}

function asCursor(value: unknown): Cursor | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { id, at } = value as { id?: unknown; at?: unknown };
  if (typeof at !== "string") return undefined;
  return { at, ...(typeof id === "string" ? { id } : {}) };
}

function isItemNotFound(error: unknown): boolean {
  return error instanceof Error &&
    (error as Error & { condition?: string }).condition === "item-not-found";
}
