/**
 * XEP-0249: Direct MUC Invitations.
 *
 * @see https://xmpp.org/extensions/xep-0249.html
 * @module
 */
import type { InviteEvent } from "./events.ts";
import { bareJid } from "../jid/mod.ts";
import type { XmlElement } from "./_xml.ts";

/** The direct invitation namespace. */
export const NS_CONFERENCE = "jabber:x:conference";

/**
 * Parses a direct invitation (`<x xmlns='jabber:x:conference' jid='room'/>` in a message
 * from the inviter), or returns `undefined` when the message holds none.
 *
 * @param stanza A `<message/>`.
 */
export function parseDirectInvite(stanza: XmlElement): InviteEvent | undefined {
  const x = stanza.getChild("x", NS_CONFERENCE);
  if (x === undefined) return undefined;
  const room = bareJid(x.attrs.jid ?? "");
  const inviter = bareJid(stanza.attrs.from ?? "");
  if (room === undefined || inviter === undefined) return undefined;
  const event: InviteEvent = { type: "invite", room, inviter, direct: true };
  if (x.attrs.password) event.password = x.attrs.password;
  if (x.attrs.reason?.trim()) event.reason = x.attrs.reason.trim();
  return event;
}
