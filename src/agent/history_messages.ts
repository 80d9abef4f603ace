/**
 * Turns stored history entries into the messages an LLM is shown: chat messages (with the
 * speaker's nick in rooms), reactions (as short notes naming the message they answer) and
 * attachment notes; starting with the user, consecutive turns of one role merged (a failed
 * call leaves a user message without an answer, and providers want roles to alternate).
 *
 * @module
 */
import type { ChatMessage } from "../llm/mod.ts";
import { type HistoryEntry, isMessageEntry, type MessageEntry } from "../memory/mod.ts";

/** Options for {@linkcode historyMessages}. */
export interface HistoryMessagesOptions {
  /** Keep at most this many chat messages (the most recent). @default {Infinity} */
  limit?: number;
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
  const byId = indexById(entries);
  const messages: { role: "user" | "assistant"; content: string }[] = [];
  const kept = keepLast(entries, options.limit ?? Infinity);
  for (const entry of kept) {
    if (!isMessageEntry(entry)) continue;
    const text = render(entry, byId);
    if (text === "") continue;
    const last = messages.at(-1);
    if (last === undefined && entry.role === "assistant") continue;
    if (last !== undefined && last.role === entry.role) {
      last.content += `\n\n${text}`;
    } else {
      messages.push({ role: entry.role, content: text });
    }
  }
  return messages;
}

/** The speaker's display name: a room nick (`nick@muc` as stored) or a JID. */
export function speakerName(sender: string): string {
  return sender.endsWith("@muc") ? sender.slice(0, -"@muc".length) : sender;
}

function render(entry: MessageEntry, byId: Map<string, MessageEntry>): string {
  const who = entry.sender === undefined ? undefined : speakerName(entry.sender);
  if (entry.reaction !== undefined) {
    const target = byId.get(entry.reaction.message_id);
    const what = target === undefined
      ? `message ${entry.reaction.message_id}`
      : `${target.role === "assistant" ? "your" : "the"} message "${excerpt(target.content)}"`;
    const emojis = entry.reaction.emojis.join(" ");
    const action = emojis === "" ? "removed their reaction to" : `reacted ${emojis} to`;
    return `[${who ?? "The user"} ${action} ${what}]`;
  }
  const notes = (entry.attachments ?? []).map((file) =>
    file.url === undefined
      ? `[attachment: ${file.filename} (${file.mime_type}, ${file.size} bytes)]`
      : `[attachment, not downloaded: ${file.filename} (${file.mime_type}) ${file.url}]`
  );
  const body = [entry.content, ...notes].filter((part) => part !== "").join("\n");
  if (body === "") return "";
  return who !== undefined && entry.role === "user" ? `${who}: ${body}` : body;
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
