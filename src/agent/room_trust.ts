/**
 * Whom a room can vouch for. A MUC service tells who its occupants are (their real JIDs)
 * and who sent a mediated invitation; nothing checks what it says. A service on the agent's
 * own server, or on that person's own server, is believed (either server could speak for the
 * person anyway); any other service could name anyone, so its word gives no rights.
 *
 * @module
 */
import type { RoomOccupant } from "../xmpp/mod.ts";

/** The outcome of {@linkcode occupantIdentity}. */
export type OccupantIdentity = { jid: string } | { reason: string };

/**
 * Whether the service of `room` may vouch for `jid`: it is the agent's server or under it,
 * or it is the domain of `jid` or under it.
 *
 * @param room A room's bare JID, e.g. `dev@conference.example.org`.
 * @param jid The bare JID the room names.
 * @param server The agent's XMPP server domain (component mode: the component's parent).
 *
 * @example
 * ```ts
 * roomVouchesFor("dev@conference.example.org", "alice@example.org", "example.org"); // true
 * roomVouchesFor("dev@muc.evil.example", "alice@example.org", "example.org"); // false
 * ```
 */
export function roomVouchesFor(room: string, jid: string, server: string): boolean {
  const service = domainOf(room);
  return within(service, server) || within(service, domainOf(jid));
}

/**
 * The real bare JID behind an occupant, when the room both discloses it and may vouch for
 * it; otherwise why it is unknown.
 *
 * @param occupant Who wrote through the room.
 * @param server The agent's XMPP server domain.
 */
export function occupantIdentity(occupant: RoomOccupant, server: string): OccupantIdentity {
  const at = `${occupant.room}/${occupant.nick}`;
  if (occupant.realJid === undefined) {
    return { reason: `the room does not tell the agent who ${at} is (no real JID)` };
  }
  if (!roomVouchesFor(occupant.room, occupant.realJid, server)) {
    return {
      reason: `${at} claims to be ${occupant.realJid}, but the room's service is on neither ` +
        "the agent's server nor theirs, so it cannot vouch for that",
    };
  }
  return { jid: occupant.realJid };
}

function domainOf(jid: string): string {
  return jid.slice(jid.lastIndexOf("@") + 1);
}

function within(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}
