/**
 * What a one-to-one message refers to: the earlier message a correction (XEP-0308) replaces
 * and the agent's answer to it, and the message a reply (XEP-0461) quotes.
 *
 * @module
 */
import type { ConversationRef, HistoryEntry, MessageEntry } from "../memory/mod.ts";
import type { MessageEvent } from "../xmpp/mod.ts";

/** How many of the session's last messages a correction may reach back to. */
export const CORRECTION_REACH = 10;

/** The memory operations this module uses. */
export interface ContextMemory {
  recent(ref: ConversationRef, n: number, options?: { include?: "messages" | "all" }): Promise<
    HistoryEntry[]
  >;
  /** The message with this id, in the current session or an archived one. */
  findMessage?(ref: ConversationRef, id: string): Promise<MessageEntry | undefined>;
}

/** A correction of one of the person's last messages. */
export interface Correction {
  /** The id of the message corrected. */
  replaces: string;
  /** The id of the agent's answer to it, when it was answered: the answer to correct. */
  answerId?: string;
}

/**
 * Whether `message` corrects one of the person's last {@linkcode CORRECTION_REACH}
 * messages of the session. A correction of anything else (the agent's own message, an
 * unknown or older one) is not one: it is answered as a new message.
 *
 * @param memory The store.
 * @param session The message's session.
 * @param message The message, with `replaces` set.
 */
export async function findCorrected(
  memory: ContextMemory,
  session: ConversationRef,
  message: Pick<MessageEvent, "replaces">,
): Promise<Correction | undefined> {
  const { replaces } = message;
  if (replaces === undefined) return undefined;
  const messages = (await memory.recent(session, CORRECTION_REACH, { include: "messages" }))
    .filter(isMessage);
  const index = messages.findIndex((entry) =>
    entry.role === "user" && entry.reaction === undefined && entry.msg_id === replaces
  );
  if (index < 0) return undefined;
  // Its answer: the agent's first message after it, before the person wrote again.
  for (const entry of messages.slice(index + 1)) {
    if (entry.role === "user" && entry.reaction === undefined) break;
    if (entry.role === "assistant" && entry.reaction === undefined && entry.msg_id) {
      return { replaces, answerId: entry.replaces ?? entry.msg_id };
    }
  }
  return { replaces };
}

/**
 * The message a reply quotes: found by its id in the history (archived sessions too),
 * else the quote the sender's client put in front of the reply.
 *
 * @param memory The store.
 * @param session The message's session.
 * @param reply The message's reply reference.
 * @returns The `reply_to` to store.
 */
export async function findQuoted(
  memory: ContextMemory,
  session: ConversationRef,
  reply: NonNullable<MessageEvent["reply"]>,
): Promise<{ id: string; text?: string }> {
  const found = await memory.findMessage?.(session, reply.id).catch(() => undefined);
  const text = found?.content ?? reply.quote;
  return text === undefined || text === "" ? { id: reply.id } : { id: reply.id, text };
}

function isMessage(entry: HistoryEntry): entry is MessageEntry {
  return entry.type === "message" && typeof entry.content === "string";
}
