/**
 * What a record the last run left in the inbox must be before it is taken up again. The file
 * may be torn by a crash or written by someone else, and a record says whom the agent
 * answers: a `null` event ended the process at every start, an `invite` joined any room in
 * an allowed inviter's name, and a message whose `from` was not its conversation's address
 * sent that conversation's answer to the stranger. The XMPP layer never makes such events;
 * here they are refused before any policy decision, so the inbox holds only what it can.
 *
 * @module
 */
import { bareJid } from "../jid/mod.ts";
import type { InboxEvent } from "./events.ts";

/** What {@linkcode checkInboxEvent} found. */
export type InboxEventCheck = { ok: true; event: InboxEvent } | { ok: false; reason: string };

/**
 * Checks one event read back from the inbox: one of the kinds the inbox keeps, with the
 * fields its handler reads, and — for a message or a room message — sent from the address of
 * its own conversation (the one its answer goes to).
 *
 * @param value The `event` of an inbox record, as parsed.
 * @returns The event, or why it is not taken up.
 * @example
 * ```ts
 * checkInboxEvent({ type: "invite", room: "evil@conference.example" });
 * // { ok: false, reason: 'an event of type "invite", which the inbox never keeps' }
 * ```
 */
export function checkInboxEvent(value: unknown): InboxEventCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse("not an event object");
  }
  const event = value as Record<string, unknown>;
  const strings = (...keys: string[]) => keys.every((key) => typeof event[key] === "string");
  switch (event.type) {
    case "message":
      if (!strings("from", "bare", "body") || (event.kind !== "chat" && event.kind !== "normal")) {
        return refuse("a message without its sender, conversation, body or kind");
      }
      if (bareJid(event.from as string) !== event.bare) {
        return refuse(`a message from ${describe(event.from)} filed under ${describe(event.bare)}`);
      }
      break;
    case "groupchat":
      if (!strings("room", "nick", "from", "body")) {
        return refuse("a room message without its room, nick, sender or body");
      }
      if (bareJid(event.from as string) !== event.room) {
        return refuse(`a room message from ${describe(event.from)} filed under another room`);
      }
      break;
    case "webhook":
      if (
        !strings("id", "route", "to", "receivedAt") || !["agent", "notify"].includes(mode(event))
      ) {
        return refuse("a webhook event without its id, route, conversation or mode");
      }
      break;
    case "schedule":
      if (
        !strings("id", "conversation", "text", "scheduledAt") ||
        (event.kind !== "prompt" && event.kind !== "text")
      ) {
        return refuse("a schedule firing without its id, conversation, text or kind");
      }
      break;
    default:
      return refuse(`an event of type ${describe(event.type)}, which the inbox never keeps`);
  }
  return { ok: true, event: value as InboxEvent };
}

function mode(event: Record<string, unknown>): string {
  return typeof event.mode === "string" ? event.mode : "";
}

function describe(value: unknown): string {
  return JSON.stringify(typeof value === "string" ? value.slice(0, 100) : value ?? null);
}

function refuse(reason: string): InboxEventCheck {
  return { ok: false, reason };
}
