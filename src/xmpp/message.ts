/**
 * Parsing inbound one-to-one messages and building outbound ones (RFC 6121 §5, XEP-0085
 * chat states, XEP-0201 threads, XEP-0359 origin-id and stanza-id, XEP-0066 attachments,
 * end-to-end encrypted messages). Room messages are parsed in groupchat.ts, which needs the
 * room's state.
 *
 * @module
 */
import type {
  MessageEvent,
  ReactionEvent,
  SendChatStateAction,
  SendMessageAction,
} from "./events.ts";
import { bareJid } from "../jid/mod.ts";
import { encryptionOf } from "./message_encryption.ts";
import { bodyBesideAttachments, parseOobAttachments } from "./xep_0066_oob.ts";
import { buildChatState } from "./xep_0085_chat_states.ts";
import { buildReplace } from "./xep_0308_correction.ts";
import { buildOriginId, originIdOf, stanzaIdBy } from "./xep_0359_stanza_ids.ts";
import { parseReactions } from "./xep_0444_reactions.ts";
import { bodyText } from "./_body_text.ts";
import { xml, type XmlElement } from "./_xml.ts";

/**
 * Turns an inbound `<message/>` into a {@linkcode MessageEvent}, or `undefined` when the
 * agent must not act on it: `error` and `headline` types (a bounced reply must never
 * loop), `groupchat` (rooms come separately), chat-state-only messages and messages with
 * neither a body nor an attachment. An end-to-end encrypted message comes with `encrypted`
 * set and no body or attachments (what it carries cannot be read).
 */
export function parseMessage(stanza: XmlElement): MessageEvent | undefined {
  const type = stanza.attrs.type ?? "normal";
  if (type !== "chat" && type !== "normal") return undefined;
  const from = stanza.attrs.from ?? "";
  const bare = bareJid(from);
  if (bare === undefined) return undefined;
  const encrypted = encryptionOf(stanza);
  const attachments = encrypted === undefined ? parseOobAttachments(stanza) : [];
  const body = encrypted === undefined ? bodyBesideAttachments(bodyText(stanza), attachments) : "";
  if (body === "" && attachments.length === 0 && encrypted === undefined) return undefined;
  const event: MessageEvent = { type: "message", from, bare, body, kind: type };
  const to = stanza.attrs.to;
  if (to) event.to = to;
  if (stanza.attrs.id) event.id = stanza.attrs.id;
  const originId = originIdOf(stanza);
  if (originId !== undefined) event.originId = originId;
  // Only the agent's own server (or, for a component, its own domain) stamps a stanza-id
  // that can be trusted (XEP-0359 §3.1); `to` is the agent's address.
  const stanzaId = to ? stanzaIdBy(stanza, to) : undefined;
  if (stanzaId !== undefined) event.stanzaId = stanzaId;
  const thread = stanza.getChildText("thread")?.trim();
  if (thread) event.thread = thread;
  if (attachments.length > 0) event.attachments = attachments;
  if (encrypted !== undefined) event.encrypted = encrypted;
  return event;
}

/**
 * Turns a one-to-one reaction (XEP-0444) into a {@linkcode ReactionEvent}, or `undefined`
 * when the message is not a `chat`/`normal` message carrying reactions.
 */
export function parseReaction(stanza: XmlElement): ReactionEvent | undefined {
  const type = stanza.attrs.type ?? "normal";
  const from = stanza.attrs.from ?? "";
  const bare = bareJid(from);
  const reactions = parseReactions(stanza);
  if ((type !== "chat" && type !== "normal") || bare === undefined || !reactions) return undefined;
  const event: ReactionEvent = { type: "reaction", from, bare, ...reactions };
  if (stanza.attrs.to) event.to = stanza.attrs.to;
  return event;
}

/**
 * Builds a chat or groupchat message whose id and origin-id are both `id` (a correction, with
 * `replaces`, carries XEP-0308's `<replace/>`).
 *
 * @param action What to send; `from` is written only when given (component mode).
 * @param id The stanza id (the caller uses `action.id` when set).
 */
export function buildMessage(action: SendMessageAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, from: action.from, type: action.messageType ?? "chat", id },
    xml("body", {}, action.body),
    action.thread ? xml("thread", {}, action.thread) : undefined,
    action.chatState ? buildChatState(action.chatState) : undefined,
    action.replaces ? buildReplace(action.replaces) : undefined,
    buildOriginId(id),
  );
}

/** Builds a standalone chat state notification (no body, so never stored or echoed). */
export function buildChatStateMessage(action: SendChatStateAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, from: action.from, type: action.messageType ?? "chat", id },
    buildChatState(action.state),
    action.thread ? xml("thread", {}, action.thread) : undefined,
    xml("no-store", { xmlns: "urn:xmpp:hints" }),
  );
}
