/**
 * Turns stored history entries into the messages an LLM is shown: chat messages, reactions
 * (as short notes naming the message they answer) and attachment notes; starting with the
 * user, consecutive turns of one role merged (a failed call leaves a user message without an
 * answer, and providers want roles to alternate). A message the person corrected (XEP-0308)
 * is shown as corrected: the original and the agent's answer to it give way to the
 * correction; a reply (XEP-0461) starts with the message it replies to. In rooms each occupant's message is a
 * block whose speaker the agent writes and whose text is quoted (see `room_transcript.ts`),
 * so that no message can pass for another speaker's.
 *
 * @module
 */
import type { ChatMessage } from "../llm/mod.ts";
import { type HistoryEntry, isMessageEntry, type MessageEntry } from "../memory/mod.ts";
import { longMessageNote } from "./long_message_note.ts";
import { quoteLines, SpeakerLabels } from "./room_transcript.ts";

/** Options for {@linkcode historyMessages}. */
export interface HistoryMessagesOptions {
  /** Keep at most this many chat messages (the most recent). @default {Infinity} */
  limit?: number;
  /** In a room, the agent's nick: an occupant whose nick looks like it is marked. */
  ownNick?: string;
}

/** The LLM's view of a history, and how much of it the entries before the new ones made. */
export interface HistoryView {
  messages: ChatMessage[];
  /**
   * How many leading messages come whole from the entries before `newFrom`: the prefix that
   * the next request repeats (a new entry merged into the last message changes that one).
   */
  stable: number;
}

/**
 * Builds the LLM's view of a conversation from its most recent entries.
 *
 * @param entries Entries in chronological order (messages and the entries between them).
 */
export function historyMessages(
  entries: readonly HistoryEntry[],
  options: HistoryMessagesOptions = {},
): ChatMessage[] {
  return historyView(entries, entries.length, options).messages;
}

/**
 * {@linkcode historyMessages}, with the length of the prefix the entries before `newFrom`
 * make, in one pass.
 *
 * @param entries Entries in chronological order, the new ones last.
 * @param newFrom The index of the first new entry (`entries.length`: none).
 */
export function historyView(
  entries: readonly HistoryEntry[],
  newFrom: number,
  options: HistoryMessagesOptions = {},
): HistoryView {
  const fresh = new Set(entries.slice(newFrom));
  const messages: { role: "user" | "assistant"; content: string }[] = [];
  const kept = withoutReplaced(keepLast(entries, options.limit ?? Infinity));
  const nicks: string[] = [];
  for (const entry of kept) {
    if (isMessageEntry(entry) && entry.sender !== undefined) nicks.push(speakerName(entry.sender));
  }
  const labels = new SpeakerLabels(new Set(nicks), options.ownNick);
  // Reactions name the message they answer: the index is built only when one is shown.
  let index: Map<string, MessageEntry> | undefined;
  const byId = () => index ??= indexById(entries);
  let stable: number | undefined;
  for (const entry of kept) {
    if (!isMessageEntry(entry)) continue;
    const text = entry.sender !== undefined && entry.role === "user"
      ? renderInRoom(entry, byId, labels)
      : render(entry, byId);
    if (text === "") continue;
    const last = messages.at(-1);
    if (last === undefined && entry.role === "assistant") continue;
    const merged = last !== undefined && last.role === entry.role;
    if (stable === undefined && fresh.has(entry)) stable = messages.length - (merged ? 1 : 0);
    if (merged) {
      last.content += `\n\n${text}`;
    } else {
      messages.push({ role: entry.role, content: text });
    }
  }
  return { messages, stable: stable ?? messages.length };
}

/** The speaker's display name: a room nick (`nick@muc` as stored) or a JID. */
export function speakerName(sender: string): string {
  return sender.endsWith("@muc") ? sender.slice(0, -"@muc".length) : sender;
}

/** A message as it reads in a one-to-one chat (or the agent's own, in a room). */
function render(entry: MessageEntry, byId: () => Map<string, MessageEntry>): string {
  if (entry.reaction !== undefined) {
    return `[${entry.role === "assistant" ? "You" : "The user"} ${
      reactionText(entry.reaction, byId)
    }]`;
  }
  if (entry.oversized !== undefined) return `[The user sent ${longMessageNote(entry.oversized)}]`;
  const text = bodyText(entry);
  const quoted = entry.reply_to?.text;
  if (entry.role !== "user" || quoted === undefined || quoted === "") return text;
  return `[In reply to: "${excerpt(quoted)}"]\n${text}`;
}

/**
 * The entries without the messages a person corrected (a correction names them in
 * `replaces`, or they were marked `replaced_by` while they waited) and the agent's answers
 * to those, up to the next message of the person.
 */
function withoutReplaced(entries: readonly HistoryEntry[]): readonly HistoryEntry[] {
  const replaced = new Set<string>();
  for (const entry of entries) {
    if (isMessageEntry(entry) && entry.role === "user" && entry.replaces !== undefined) {
      replaced.add(entry.replaces);
    }
  }
  const isReplaced = (entry: MessageEntry) =>
    entry.replaced_by !== undefined || (entry.msg_id !== undefined && replaced.has(entry.msg_id));
  if (replaced.size === 0 && !entries.some((e) => isMessageEntry(e) && isReplaced(e))) {
    return entries;
  }
  const kept: HistoryEntry[] = [];
  let dropping = false;
  for (const entry of entries) {
    if (isMessageEntry(entry)) {
      if (entry.role === "user" && entry.reaction === undefined) dropping = isReplaced(entry);
      // An answer that corrects the dropped one stands for it.
      if (dropping && (entry.role === "user" || entry.replaces === undefined)) continue;
    }
    kept.push(entry);
  }
  return kept;
}

/** An occupant's message: its speaker's header, then its text quoted. */
function renderInRoom(
  entry: MessageEntry,
  byId: () => Map<string, MessageEntry>,
  labels: SpeakerLabels,
): string {
  const header = labels.header(speakerName(entry.sender ?? ""));
  if (entry.oversized !== undefined) {
    return `${header.slice(0, -1)}, ${longMessageNote(entry.oversized)}`;
  }
  const text = entry.reaction === undefined
    ? bodyText(entry)
    : `[${reactionText(entry.reaction, byId)}]`;
  return text === "" ? "" : `${header}\n${quoteLines(text)}`;
}

function reactionText(
  reaction: NonNullable<MessageEntry["reaction"]>,
  byId: () => Map<string, MessageEntry>,
): string {
  const target = byId().get(reaction.message_id);
  const what = target === undefined
    ? `message ${reaction.message_id}`
    : `${target.role === "assistant" ? "your" : "the"} message "${excerpt(target.content)}"`;
  const emojis = reaction.emojis.join(" ");
  return emojis === "" ? `removed their reaction to ${what}` : `reacted ${emojis} to ${what}`;
}

function bodyText(entry: MessageEntry): string {
  // Every turn renders the whole history in view: most entries are text alone.
  if (entry.attachments === undefined || entry.attachments.length === 0) return entry.content;
  const notes = (entry.attachments ?? []).map((file) =>
    file.url === undefined
      ? `[attachment: ${file.filename} (${file.mime_type}, ${file.size} bytes)]`
      : `[attachment, not downloaded: ${file.filename} (${file.mime_type}) ${file.url}]`
  );
  return [entry.content, ...notes].filter((part) => part !== "").join("\n");
}

function indexById(entries: readonly HistoryEntry[]): Map<string, MessageEntry> {
  const byId = new Map<string, MessageEntry>();
  for (const entry of entries) {
    if (!isMessageEntry(entry) || entry.reaction !== undefined) continue;
    for (const key of ["msg_id", "stanza_id"] as const) {
      const id = (entry as unknown as Record<string, unknown>)[key];
      if (typeof id === "string") byId.set(id, entry);
    }
  }
  // A room assigns its own stanza-id to the agent's messages: the reflection entry maps it.
  for (const entry of entries) {
    if (entry.type !== "reflection") continue;
    const { msg_id: origin, stanza_id: stanza } = entry as {
      msg_id?: unknown;
      stanza_id?: unknown;
    };
    const target = typeof origin === "string" ? byId.get(origin) : undefined;
    if (target !== undefined && typeof stanza === "string") byId.set(stanza, target);
  }
  return byId;
}

function keepLast(entries: readonly HistoryEntry[], limit: number): readonly HistoryEntry[] {
  if (!Number.isFinite(limit)) return entries;
  let count = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry !== undefined && isMessageEntry(entry) && ++count > limit) {
      return entries.slice(i + 1);
    }
  }
  return entries;
}

function excerpt(text: string): string {
  const flat = text.replaceAll(/\s+/g, " ").trim();
  return flat.length <= 80 ? flat : `${flat.slice(0, 77)}...`;
}
