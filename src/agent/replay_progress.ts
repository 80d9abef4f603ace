/**
 * How far a message got before the agent stopped: the inbox gives back what the last run
 * recorded and did not finish, and the conversation's history tells whether it was stored,
 * and answered.
 *
 * @module
 */
import {
  type ConversationRef,
  type HistoryEntry,
  isMessageEntry,
  type MessageEntry,
} from "../memory/mod.ts";
import type { MessageEvent, XmppAction } from "../xmpp/mod.ts";
import type { ReplyTarget } from "./turn.ts";

/** The memory operation {@linkcode replayProgress} uses. */
export interface ReplayMemory {
  recent(
    ref: ConversationRef,
    n: number,
    options?: { include?: "messages" | "all" },
  ): Promise<HistoryEntry[]>;
}

/** How many of the session's last entries are searched. */
const SEARCHED = 200;

/**
 * `"new"` when the message is not in the session's last entries, `"stored"` when it is and
 * no answer follows it, `"answered"` when an answer follows it.
 *
 * @param memory The store.
 * @param session The message's session.
 * @param message The message as the last run received it.
 * @param receivedAt When it was received (ISO 8601): an entry of it is not older.
 */
export async function replayProgress(
  memory: ReplayMemory,
  session: ConversationRef,
  message: Pick<MessageEvent, "id" | "stanzaId" | "body">,
  receivedAt: string,
): Promise<"new" | "stored" | "answered"> {
  const { entries, index } = await locate(memory, session, message, receivedAt);
  if (index === -1) return "new";
  const after = entries.slice(index + 1);
  return after.some((entry) => entry.type === "message" && entry.role === "assistant")
    ? "answered"
    : "stored";
}

/**
 * The agent's text answers stored after the message, up to the person's next message: what
 * the last run sent for it (reactions aside), oldest first; none when it is not found.
 *
 * @param memory The store.
 * @param session The message's session.
 * @param message The message as the last run received it.
 * @param receivedAt When it was received (ISO 8601).
 */
export async function storedAnswers(
  memory: ReplayMemory,
  session: ConversationRef,
  message: Pick<MessageEvent, "id" | "stanzaId" | "body">,
  receivedAt: string,
): Promise<MessageEntry[]> {
  const { entries, index } = await locate(memory, session, message, receivedAt);
  if (index === -1) return [];
  const after = entries.slice(index + 1).filter(isMessageEntry);
  const next = after.findIndex((entry) => entry.role === "user");
  return (next === -1 ? after : after.slice(0, next))
    .filter((entry) => entry.role === "assistant" && entry.reaction === undefined);
}

/**
 * Sends again, as they were (their ids and corrections kept), answers the last run stored
 * for an event still in the inbox: the server had not acknowledged them when the process
 * stopped (it may never have had them). Nothing is stored again.
 *
 * @param send Where actions go.
 * @param reply Where the answers go.
 * @param answers The stored answers, oldest first.
 */
export function sendAgain(
  send: (action: XmppAction) => void,
  reply: ReplyTarget,
  answers: readonly MessageEntry[],
): void {
  for (const answer of answers) {
    send({
      type: "message",
      body: answer.content,
      ...reply,
      chatState: "active",
      ...(answer.msg_id === undefined ? {} : { id: answer.msg_id }),
      ...(answer.replaces === undefined ? {} : { replaces: answer.replaces }),
    });
  }
}

/** The session's last entries, and where the message is among them (-1: not there). */
async function locate(
  memory: ReplayMemory,
  session: ConversationRef,
  message: Pick<MessageEvent, "id" | "stanzaId" | "body">,
  receivedAt: string,
): Promise<{ entries: HistoryEntry[]; index: number }> {
  const entries = await memory.recent(session, SEARCHED, { include: "all" });
  const index = entries.findLastIndex((entry) =>
    (entry.ts ?? "") >= receivedAt && isThis(entry, message)
  );
  return { entries, index };
}

function isThis(entry: HistoryEntry, message: Pick<MessageEvent, "id" | "stanzaId" | "body">) {
  if (entry.type !== "message" || entry.role !== "user") return false;
  if (message.stanzaId !== undefined && entry.stanza_id === message.stanzaId) return true;
  if (message.id !== undefined && entry.msg_id === message.id) return true;
  // A message without ids: its text (the entry is not older than the message).
  return message.id === undefined && message.stanzaId === undefined &&
    entry.content === message.body;
}
