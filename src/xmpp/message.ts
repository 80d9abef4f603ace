/**
 * Parsing inbound one-to-one messages and building outbound ones (RFC 6121 §5, XEP-0085
 * chat states, XEP-0201 threads, XEP-0359 origin-id and stanza-id, XEP-0066 attachments,
 * end-to-end encrypted messages, XEP-0184 receipts, XEP-0333 chat markers, XEP-0308
 * corrections, XEP-0461 replies, XEP-0444 reactions). Room messages are parsed in groupchat.ts, which needs the
 * room's state.
 *
 * @module
 */
import type {
  AcknowledgeAction,
  MessageEvent,
  ReactAction,
  ReactionEvent,
  SendChatStateAction,
  SendMessageAction,
} from "./events.ts";
import { bareJid } from "../jid/mod.ts";
import { encryptionOf } from "./message_encryption.ts";
import { bodyBesideAttachments, buildOob, parseOobAttachments } from "./xep_0066_oob.ts";
import { buildChatState } from "./xep_0085_chat_states.ts";
import { buildOriginId, originIdOf, stanzaIdBy } from "./xep_0359_stanza_ids.ts";
import { buildReactions, parseReactions } from "./xep_0444_reactions.ts";
import { buildReceipt, requestsReceipt } from "./xep_0184_receipts.ts";
import { buildReplace, replacedId } from "./xep_0308_correction.ts";
import { buildMarkable, buildMarker, isMarkable } from "./xep_0333_chat_markers.ts";
import { buildReply, replyFallback, replyOf, stripReplyFallback } from "./xep_0461_replies.ts";
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
  const reply = encrypted === undefined ? replyOf(stanza) : undefined;
  const stripped = reply === undefined
    ? { body: bodyText(stanza) }
    : stripReplyFallback(stanza, stanza.getChildText("body") ?? "");
  const body = encrypted === undefined ? bodyBesideAttachments(stripped.body, attachments) : "";
  if (body === "" && attachments.length === 0 && encrypted === undefined) return undefined;
  const event: MessageEvent = { type: "message", from, bare, body, kind: type };
  if (reply !== undefined) {
    event.reply = stripped.quote ? { ...reply, quote: stripped.quote } : reply;
  }
  // A receipt or a marker needs the id to name the message (XEP-0184 §5.4).
  if (stanza.attrs.id && requestsReceipt(stanza)) event.receipt = true;
  if (stanza.attrs.id && isMarkable(stanza)) event.markable = true;
  const replaces = replacedId(stanza);
  if (replaces !== undefined) event.replaces = replaces;
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
 * Builds a chat or groupchat message whose id and origin-id are both `id`. A chat message
 * is markable (XEP-0333); a correction carries `<replace/>`, an answer to an earlier
 * message `<reply/>` with its fallback quote in front of the body.
 *
 * @param action What to send; `from` is written only when given (component mode).
 * @param id The stanza id (the caller uses `action.id` when set).
 */
export function buildMessage(action: SendMessageAction, id: string): XmlElement {
  const type = action.messageType ?? "chat";
  const fallback = action.reply?.quote ? replyFallback(action.reply.quote) : "";
  return xml(
    "message",
    { to: action.to, from: action.from, type, id },
    xml("body", {}, `${fallback}${action.body}`),
    action.thread ? xml("thread", {}, action.thread) : undefined,
    action.chatState ? buildChatState(action.chatState) : undefined,
    type === "chat" ? buildMarkable() : undefined,
    action.replaces ? buildReplace(action.replaces) : undefined,
    ...(action.reply ? buildReply(action.reply, [...fallback].length) : []),
    action.oob === undefined ? undefined : buildOob(action.oob),
    buildOriginId(id),
  );
}

/**
 * Builds a standalone chat state notification (no body, so never stored or echoed), with
 * the `displayed` marker it carries along, if any (then it may be stored: the sender's
 * other devices learn from it that the message was read).
 */
export function buildChatStateMessage(action: SendChatStateAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, from: action.from, type: action.messageType ?? "chat", id },
    buildChatState(action.state),
    action.thread ? xml("thread", {}, action.thread) : undefined,
    action.receipt ? buildReceipt(action.receipt) : undefined,
    action.displayed ? buildMarker("displayed", action.displayed) : undefined,
    // A bare chat state is not worth archiving; a receipt or a marker is.
    action.displayed || action.receipt ? undefined : xml("no-store", { xmlns: "urn:xmpp:hints" }),
  );
}

/** Builds one message acknowledging a received one: its receipt and its chat marker. */
export function buildAcknowledgement(action: AcknowledgeAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, from: action.from, type: "chat", id },
    action.receipt ? buildReceipt(action.id) : undefined,
    action.marker ? buildMarker(action.marker, action.id) : undefined,
    xml("store", { xmlns: "urn:xmpp:hints" }),
  );
}

/** Builds a reaction message (XEP-0444 §3.2: stored, so the person's devices all see it). */
export function buildReactionMessage(action: ReactAction, id: string): XmlElement {
  return xml(
    "message",
    { to: action.to, from: action.from, type: "chat", id },
    buildReactions(action.messageId, action.emojis),
    xml("store", { xmlns: "urn:xmpp:hints" }),
  );
}
