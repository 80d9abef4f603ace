/**
 * How far a room message got before the agent stopped, for one taken up again from the inbox.
 * In a room the agent's answers sit among the other occupants' messages, so an answer names
 * the message it answers (`answers`) instead of being told by where it is; and the room's
 * reflection of an answer (the room sent it to every occupant) tells that the room has it.
 *
 * @module
 */
import {
  type ConversationRef,
  type HistoryEntry,
  isMessageEntry,
  type MessageEntry,
} from "../memory/mod.ts";
import type { ReplayMemory } from "./replay_progress.ts";

/** How many of the session's last entries are searched (as for one-to-one messages). */
const SEARCHED = 200;

/** A room message as the last run received it. */
export interface RoomMessageRef {
  /** The id its entry is stored under (the room's stanza-id, else the message's id). */
  msgId: string | undefined;
  body: string;
  /** Its entry's `sender` (`nick@muc`). */
  sender: string;
}

/** What {@linkcode roomProgress} found. */
export interface RoomProgress {
  /**
   * `"new"`: not in the session's last entries; `"stored"`: stored, not answered;
   * `"answered"`: an answer to it is stored.
   */
  state: "new" | "stored" | "answered";
  /**
   * Of the stored answers, those the room has not reflected back (it may never have had
   * them), oldest first: what to send again. Empty unless `"answered"`.
   */
  unreflected: MessageEntry[];
}

/**
 * Finds whether a room message taken up after a restart was stored and answered.
 *
 * An answer counts when it names the message (`answers`). An answer without that field (a
 * file written before it existed, or a message without any id) counts when it comes after the
 * message and before the next person's message, as in a one-to-one conversation.
 *
 * @param memory The store.
 * @param session The message's session (the room, or its thread).
 * @param message The message.
 * @param receivedAt When it was received (ISO 8601): an entry of it is not older.
 */
export async function roomProgress(
  memory: ReplayMemory,
  session: ConversationRef,
  message: RoomMessageRef,
  receivedAt: string,
): Promise<RoomProgress> {
  const entries = await memory.recent(session, SEARCHED, { include: "all" });
  const recent = (entry: HistoryEntry) => (entry.ts ?? "") >= receivedAt;
  const reflected = new Set(
    entries.flatMap((entry) =>
      entry.type === "reflection" && typeof entry.msg_id === "string" ? [entry.msg_id] : []
    ),
  );
  const answered = (answers: MessageEntry[]): RoomProgress => ({
    state: "answered",
    unreflected: answers.filter((answer) =>
      answer.reaction === undefined &&
      (answer.msg_id === undefined || !reflected.has(answer.msg_id))
    ),
  });
  const { msgId } = message;
  const linked = msgId === undefined
    ? []
    : entries.filter((entry): entry is MessageEntry =>
      isMessageEntry(entry) && entry.role === "assistant" && entry.answers === msgId &&
      recent(entry)
    );
  if (linked.length > 0) return answered(linked);
  const index = entries.findLastIndex((entry) => recent(entry) && isThis(entry, message));
  if (index === -1) return { state: "new", unreflected: [] };
  const after = entries.slice(index + 1).filter(isMessageEntry);
  const next = after.findIndex((entry) => entry.role === "user");
  const unnamed = (next === -1 ? after : after.slice(0, next)).filter((entry) =>
    entry.role === "assistant" && entry.answers === undefined && entry.source === undefined
  );
  return unnamed.length > 0 ? answered(unnamed) : { state: "stored", unreflected: [] };
}

function isThis(entry: HistoryEntry, message: RoomMessageRef): boolean {
  if (!isMessageEntry(entry) || entry.role !== "user") return false;
  if (message.msgId !== undefined) return entry.msg_id === message.msgId;
  // A message without ids: its speaker and text (the entry is not older than the message).
  return entry.msg_id === undefined && entry.sender === message.sender &&
    entry.content.startsWith(message.body);
}
