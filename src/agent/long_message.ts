/**
 * Messages too long to read. A message goes back to the LLM with every later turn of its
 * session, so one huge message (pasted by mistake, or sent to run up the bill) would cost
 * its full size again and again, and push everything else out of the model's context. A
 * message over `agent.max_message_chars` is therefore not read: the sender is told how long
 * it was, what the limit is and what to do instead, and the history keeps a short note in
 * its place (with the message's ids, so a redelivery is still recognised), so that the
 * conversation does not skip it silently. Attachments do not count: they come as files,
 * with limits of their own.
 *
 * @module
 */
import type { ConversationRef } from "../memory/mod.ts";
import type { GroupchatEvent, XmppAction } from "../xmpp/mod.ts";
import { handledPrefix } from "./handled_line.ts";
import { addressedText, type RoomActivation } from "./room_activation.ts";
import { type ReplyTarget, storeIncoming, type TurnContext } from "./turn.ts";
import { countChars } from "./count_chars.ts";
// The note and the count live apart, free of the turn: the history and the answer's parts
// use them, and the turn imports those.
import { longMessageAnswer, longMessageNote } from "./long_message_note.ts";

/** The default of `agent.max_message_chars`. */
export const DEFAULT_MAX_MESSAGE_CHARS = 16_000;

/** Options of {@linkcode refuseLongMessage}. */
export interface LongMessageOptions {
  /** The most characters a message may have. */
  maxChars: number;
  /** The message's session. */
  session: ConversationRef;
  /** The memory, the clock and the idle timeout (a new session starts first when it is due). */
  context: Pick<TurnContext, "memory" | "now" | "idleTimeoutMs" | "log">;
  /** Start a new session first when the current one is idle. @default {true} */
  checkIdle?: boolean;
  /** Where the answer goes; absent: the note is stored, and nobody is answered. */
  reply?: ReplyTarget;
  /** Put before the answer, e.g. `eve: ` in a room. @default {""} */
  addressee?: string;
  send: (action: XmppAction) => void;
  /** The start of the log line; absent: no line. */
  handled?: string;
}

/** The ids and speaker kept with the note. */
export interface LongMessageFields {
  msg_id?: string;
  stanza_id?: string;
  sender?: string;
}

/**
 * If `body` is longer than the limit: stores a note instead of it, answers the sender and
 * logs one line (never the body), and returns `true`. Otherwise `false`, and nothing is done.
 *
 * @param body The message's text (without its attachments).
 * @param fields The ids and speaker the note keeps.
 * @param options The limit, the session, where to answer.
 */
export async function refuseLongMessage(
  body: string,
  fields: LongMessageFields,
  options: LongMessageOptions,
): Promise<boolean> {
  // No string has more code points than UTF-16 units: most messages need no count.
  if (body.length <= options.maxChars) return false;
  const chars = countChars(body);
  if (chars <= options.maxChars) return false;
  const oversized = { chars, limit: options.maxChars };
  const { context } = options;
  await storeIncoming(
    options.session,
    {
      type: "message",
      role: "user",
      content: `[A ${longMessageNote(oversized).slice("a ".length)}]`,
      oversized,
      ...fields,
    },
    context,
    { startSession: options.checkIdle ?? true },
  );
  if (options.reply !== undefined) {
    const body = `${options.addressee ?? ""}${longMessageAnswer(oversized)}`;
    options.send({ type: "message", body, ...options.reply });
  }
  if (options.handled !== undefined) {
    context.log.info(
      `${options.handled}: too long (${chars} characters, limit ${options.maxChars}), ` +
        `not read${options.reply === undefined ? "" : ", sender told"}`,
    );
  }
  return true;
}

/** Where a room message belongs, for {@linkcode refuseLongRoomMessage}. */
export interface LongRoomMessageOptions {
  session: ConversationRef;
  /** The id the room's entries are known by (its stanza-id, else the message's id). */
  msgId: string | undefined;
  /** The agent's nick in the room, and when it answers there. */
  ownNick: string;
  activation: RoomActivation;
  maxChars: number;
  context: LongMessageOptions["context"];
  send: (action: XmppAction) => void;
}

/**
 * {@linkcode refuseLongMessage} for a room: the note keeps the speaker; the speaker is
 * answered in the room only when the message addresses the agent (and is not history the
 * room replays), so that long messages between others cost the room nothing.
 *
 * @param event The room message.
 * @param options The room's session and settings.
 */
export function refuseLongRoomMessage(
  event: GroupchatEvent,
  options: LongRoomMessageOptions,
): Promise<boolean> {
  const { session, msgId } = options;
  const answer = !event.delayed &&
    event.body.length > options.maxChars &&
    addressedText(event.body, options.ownNick, options.activation).addressed;
  const reply: ReplyTarget = {
    to: event.room,
    messageType: "groupchat",
    ...(event.thread === undefined ? {} : { thread: event.thread }),
  };
  return refuseLongMessage(event.body, {
    sender: `${event.nick}@muc`,
    ...(msgId === undefined ? {} : { msg_id: msgId }),
  }, {
    maxChars: options.maxChars,
    session,
    context: options.context,
    checkIdle: !event.delayed,
    send: options.send,
    ...(answer
      ? { reply, addressee: `${event.nick}: `, handled: handledPrefix("groupchat", session, true) }
      : {}),
  });
}
