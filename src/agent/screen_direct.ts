/**
 * What a one-to-one message meets before a command or a turn: an end-to-end encrypted message
 * gets a notice instead (its body is the sender's client apologising for encryption, not
 * the person's words), a message delivered again is dropped, and a message too long to read
 * is answered with its length and the limit (a note in the history stands for it).
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { ConversationRef } from "../memory/mod.ts";
import type { MessageEvent, XmppAction } from "../xmpp/mod.ts";
import { type EncryptedNotice, encryptionName } from "./encrypted_notice.ts";
import {
  DEFAULT_MAX_MESSAGE_CHARS,
  type LongMessageOptions,
  refuseLongMessage,
} from "./long_message.ts";
import { type RedeliveryMemory, wasStored } from "./redelivery.ts";
import type { ReplyTarget } from "./turn.ts";

/** Options of {@linkcode screenDirect}. */
export interface ScreenOptions {
  /** The message's session. */
  session: ConversationRef;
  reply: ReplyTarget;
  /** The start of the message's log line. */
  handled: string;
  memory: RedeliveryMemory;
  /** Memory, clock and idle timeout, for the note that stands for a message too long to read. */
  turn: LongMessageOptions["context"];
  notices: EncryptedNotice;
  /** The most characters a message may have. @default {DEFAULT_MAX_MESSAGE_CHARS} */
  maxMessageChars?: number | undefined;
  send: (action: XmppAction) => void;
  log: Logger;
}

/**
 * Answers an encrypted message with a notice (at most once an hour per contact, no LLM call,
 * nothing stored), drops a message already stored (with a `debug` line), and answers a
 * message over the length limit (its note stored, no LLM call).
 *
 * @param message The message as received from an allowed sender.
 * @param options Where it belongs and what to answer with.
 * @returns `true` when the message needs nothing more.
 */
export async function screenDirect(
  message: MessageEvent,
  options: ScreenOptions,
): Promise<boolean> {
  const { log } = options;
  if (message.encrypted !== undefined) {
    const notice = options.notices.answer(message.bare, message.encrypted);
    if (notice !== undefined) options.send({ type: "message", body: notice, ...options.reply });
    const name = encryptionName(message.encrypted);
    log.info(`${options.handled}: encrypted (${name}), ${notice ? "notice sent" : "already told"}`);
    return true;
  }
  if (await wasStored(options.memory, options.session, message)) {
    const ids = [message.id, message.stanzaId].filter((id) => id !== undefined).join(", ");
    log.debug(`Dropped a message from ${message.bare} delivered again (${ids}): already stored`);
    return true;
  }
  return await refuseLongMessage(message.body, {
    ...(message.id === undefined ? {} : { msg_id: message.id }),
    ...(message.stanzaId === undefined ? {} : { stanza_id: message.stanzaId }),
  }, {
    maxChars: options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS,
    session: options.session,
    context: options.turn,
    reply: options.reply,
    send: options.send,
    handled: options.handled,
  });
}
