/**
 * RFC 6121: roster management and presence subscriptions.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6121
 * @module
 */
import { bareJid } from "../jid/mod.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The roster namespace. */
export const NS_ROSTER = "jabber:iq:roster";

/** A roster item's subscription state. */
export type Subscription = "none" | "to" | "from" | "both" | "remove";

/** One roster entry. */
export interface RosterItem {
  jid: string;
  subscription: Subscription;
  /** True when a subscription request of ours is pending. */
  ask: boolean;
}

/** Builds the payload of a roster get. */
export function buildRosterQuery(): XmlElement {
  return xml("query", { xmlns: NS_ROSTER });
}

/** Parses a roster result or push payload; invalid items are skipped. */
export function parseRoster(query: XmlElement | undefined): RosterItem[] {
  if (query === undefined) return [];
  const items: RosterItem[] = [];
  for (const item of query.getChildren("item")) {
    const jid = bareJid(item.attrs.jid ?? "");
    if (jid === undefined) continue;
    const subscription = (item.attrs.subscription ?? "none") as Subscription;
    items.push({ jid, subscription, ask: item.attrs.ask === "subscribe" });
  }
  return items;
}

/** True when our presence subscription to the item's JID exists or is pending. */
export function isSubscribedTo(item: RosterItem): boolean {
  return item.subscription === "to" || item.subscription === "both" || item.ask;
}
