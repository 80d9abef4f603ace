/**
 * XEP-0045: Multi-User Chat — join and leave presences, occupant presences, mediated
 * invitations.
 *
 * @see https://xmpp.org/extensions/xep-0045.html
 * @module
 */
import type { InviteEvent } from "./events.ts";
import { bareJid, parseJid } from "../jid/mod.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The MUC namespace (join requests). */
export const NS_MUC = "http://jabber.org/protocol/muc";
/** The MUC user namespace (occupant presences, invitations). */
export const NS_MUC_USER = "http://jabber.org/protocol/muc#user";
/** The MUC admin namespace (kick, ban, roles). */
export const NS_MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** Status codes the agent reacts to (XEP-0045 §15.6). */
export const MucStatus = {
  /** The presence is about the receiver itself. */
  SELF: 110,
  /** The join created the room; it stays locked until its owner configures it. */
  CREATED: 201,
  /** The service changed (or assigned) the nick. */
  NICK_ASSIGNED: 210,
  /** Banned from the room. */
  BANNED: 301,
  /** Nick changed; the new nick is in the item. */
  NICK_CHANGED: 303,
  /** Kicked from the room. */
  KICKED: 307,
  /** Removed by an affiliation change. */
  AFFILIATION_CHANGE: 321,
  /** Removed because the room became members-only. */
  MEMBERS_ONLY: 322,
  /** Removed because the service is shutting down. */
  SERVICE_SHUTDOWN: 332,
} as const;

/** Options of {@linkcode buildJoinPresence}. */
export interface JoinPresenceOptions {
  password?: string | undefined;
  /** How many messages the room may replay. @default {0} */
  historyMaxStanzas?: number | undefined;
  /** The joining address (component mode). */
  from?: string | undefined;
}

/**
 * Builds the presence that joins `room` as `nick` (§7.2).
 *
 * @param room The room's bare JID.
 * @param nick The nick to ask for.
 * @param options Password, history size and sender.
 */
export function buildJoinPresence(
  room: string,
  nick: string,
  options: JoinPresenceOptions = {},
): XmlElement {
  return xml(
    "presence",
    { to: `${room}/${nick}`, from: options.from },
    xml(
      "x",
      { xmlns: NS_MUC },
      xml("history", { maxstanzas: String(options.historyMaxStanzas ?? 0) }),
      options.password === undefined ? undefined : xml("password", {}, options.password),
    ),
  );
}

/** Builds the presence that leaves a room (§7.14). */
export function buildLeavePresence(room: string, nick: string, from?: string): XmlElement {
  return xml("presence", { to: `${room}/${nick}`, from, type: "unavailable" });
}

/** What an occupant presence says. */
export interface MucPresence {
  /** The room's normalised bare JID. */
  room: string;
  /** The occupant's nick; empty for a presence from the room itself. */
  nick: string;
  kind: "available" | "unavailable" | "error";
  /** The `<status code/>` values. */
  statuses: number[];
  /** The occupant's real bare JID, when the room discloses it. */
  realJid?: string;
  /** The new nick of a nick change (status 303). */
  newNick?: string;
  /** Set when the room was destroyed (`<destroy/>`); holds its reason, possibly empty. */
  destroyed?: string;
  /** The reason given for a kick or ban. */
  reason?: string;
  /** The defined condition of an error presence, e.g. `conflict`. */
  error?: string;
}

/**
 * Reads a presence from a room or one of its occupants. Returns `undefined` for a presence
 * whose sender is not a valid JID or whose type is not about occupancy (subscriptions, probes).
 */
export function parseMucPresence(stanza: XmlElement): MucPresence | undefined {
  const type = stanza.attrs.type;
  if (type !== undefined && type !== "unavailable" && type !== "error") return undefined;
  let from;
  try {
    from = parseJid(stanza.attrs.from ?? "");
  } catch {
    return undefined;
  }
  const kind = type ?? "available";
  const presence: MucPresence = { room: from.bare, nick: from.resource, kind, statuses: [] };
  const x = stanza.getChild("x", NS_MUC_USER);
  if (x !== undefined) {
    presence.statuses = x.getChildren("status").map((s) => Number(s.attrs.code))
      .filter(Number.isInteger);
    const item = x.getChild("item");
    const realJid = bareJid(item?.attrs.jid ?? "");
    if (realJid !== undefined) presence.realJid = realJid;
    if (item?.attrs.nick) presence.newNick = item.attrs.nick;
    const reason = item?.getChildText("reason")?.trim();
    if (reason) presence.reason = reason;
    const destroy = x.getChild("destroy");
    if (destroy !== undefined) presence.destroyed = destroy.getChildText("reason")?.trim() ?? "";
  }
  if (kind === "error") {
    const condition = stanza.getChild("error")?.getChildElements()
      .find((child) => child.getNS() === NS_STANZAS && child.name !== "text");
    presence.error = condition?.name ?? "undefined-condition";
  }
  return presence;
}

/**
 * Parses a mediated invitation (§7.8.2): a message from the room holding
 * `<x xmlns='…muc#user'><invite from='inviter'/></x>`. The inviter is a bare JID: the
 * room's own when the room hides real JIDs (it then names the inviter `room/nick`).
 *
 * @param stanza A `<message/>`.
 * @returns The invitation, or `undefined` when the message holds none.
 */
export function parseMediatedInvite(stanza: XmlElement): InviteEvent | undefined {
  const x = stanza.getChild("x", NS_MUC_USER);
  const invite = x?.getChild("invite");
  if (x === undefined || invite === undefined) return undefined;
  const room = bareJid(stanza.attrs.from ?? "");
  const inviter = bareJid(invite.attrs.from ?? "");
  if (room === undefined || inviter === undefined) return undefined;
  const event: InviteEvent = { type: "invite", room, inviter, direct: false };
  const password = x.getChildText("password");
  if (password) event.password = password;
  const reason = invite.getChildText("reason")?.trim();
  if (reason) event.reason = reason;
  return event;
}

/** Why the agent is out of a room, and whether joining again can help. */
export interface Departure {
  reason: "kicked" | "banned" | "destroyed" | "conflict" | "error" | "shutdown";
  /** A sentence for the log and the `room_left` event. */
  detail: string;
  /** False when joining again cannot help (banned, wrong password, members-only). */
  retry: boolean;
}

const HOPELESS: Record<string, string> = {
  "forbidden": "banned from the room",
  "not-authorized": "the room needs a password, or the password is wrong",
  "registration-required": "the room is members-only",
};

/**
 * Explains an error answer to a join (§7.2.6–7.2.10) or the agent's own unavailable presence
 * (§7.2.17 kicked, §9.1 banned, §10.9 destroyed, …).
 *
 * @param presence The agent's own presence in the room (`error` or `unavailable`).
 */
export function explainDeparture(presence: MucPresence): Departure {
  if (presence.kind === "error") {
    const condition = presence.error ?? "undefined-condition";
    if (condition === "conflict") return { reason: "conflict", detail: "nick taken", retry: true };
    if (condition === "item-not-found") {
      // Prosody and ejabberd answer so while a room someone else created is still locked.
      const detail = "join refused: item-not-found (the room is locked until its creator " +
        "configures it, or the service does not let the agent create it)";
      return { reason: "error", detail, retry: true };
    }
    const hopeless = HOPELESS[condition];
    if (hopeless === undefined) {
      return { reason: "error", detail: `join refused: ${condition}`, retry: true };
    }
    return {
      reason: condition === "forbidden" ? "banned" : "error",
      detail: hopeless,
      retry: false,
    };
  }
  const by = presence.reason === undefined ? "" : `: ${presence.reason}`;
  const has = (code: number) => presence.statuses.includes(code);
  if (presence.destroyed !== undefined) {
    const why = by || (presence.destroyed === "" ? "" : `: ${presence.destroyed}`);
    return { reason: "destroyed", detail: `the room was destroyed${why}`, retry: true };
  }
  if (has(MucStatus.BANNED)) {
    return { reason: "banned", detail: `banned from the room${by}`, retry: false };
  }
  if (has(MucStatus.KICKED)) return { reason: "kicked", detail: `kicked${by}`, retry: true };
  if (has(MucStatus.SERVICE_SHUTDOWN)) {
    return { reason: "shutdown", detail: "the room service is shutting down", retry: true };
  }
  if (has(MucStatus.AFFILIATION_CHANGE) || has(MucStatus.MEMBERS_ONLY)) {
    return { reason: "error", detail: "removed by an affiliation change", retry: true };
  }
  return { reason: "error", detail: `removed from the room${by}`, retry: true };
}
