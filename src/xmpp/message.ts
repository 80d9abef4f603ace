/**
 * Parsing inbound message stanzas and building outbound ones (RFC 6121 §5, XEP-0085,
 * XEP-0201 threads, XEP-0359 origin-id).
 *
 * @module
 */
import type { MessageEvent, SendChatStateAction, SendMessageAction } from "./events.ts";
import { bareJid } from "./jid.ts";
import { buildChatState } from "./xep_0085_chat_states.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** XEP-0359: Unique and Stable Stanza IDs. */
export const NS_STANZA_ID = "urn:xmpp:sid:0";

/**
 * Turns an inbound `<message/>` into a {@linkcode MessageEvent}, or `undefined` when the
 * agent must not act on it: `error` and `headline` types (a bounced reply must never
 * loop), `groupchat` (rooms come separately), chat-state-only messages and empty bodies.
 */
export function parseMessage(stanza: XmlElement): MessageEvent | undefined {
  const type = stanza.attrs.type ?? "normal";
  if (type !== "chat" && type !== "normal") return undefined;
  const from = stanza.attrs.from ?? "";
  const bare = bareJid(from);
  if (bare === undefined) return undefined;
  const body = stanza.getChildText("body")?.trim() ?? "";
  if (body === "") return undefined;
  const thread = stanza.getChildText("thread")?.trim();
  const event: MessageEvent = { type: "message", from, bare, body, kind: type };
  if (stanza.attrs.id) event.id = stanza.attrs.id;
  if (thread) event.thread = thread;
  return event;
}

/** Builds a chat message with a fresh unique id and a matching origin-id. */
export function buildMessage(action: SendMessageAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, type: "chat", id },
    xml("body", {}, action.body),
    action.thread ? xml("thread", {}, action.thread) : undefined,
    action.chatState ? buildChatState(action.chatState) : undefined,
    xml("origin-id", { xmlns: NS_STANZA_ID, id }),
  );
}

/** Builds a standalone chat state notification (no body, so never stored or echoed). */
export function buildChatStateMessage(action: SendChatStateAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, type: "chat", id },
    buildChatState(action.state),
    action.thread ? xml("thread", {}, action.thread) : undefined,
    xml("no-store", { xmlns: "urn:xmpp:hints" }),
  );
}
