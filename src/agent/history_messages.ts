/**
 * Turns stored history entries into the messages an LLM is shown: only chat messages,
 * starting with the user, consecutive turns of one role merged (a failed call leaves a
 * user message without an answer, and providers want roles to alternate).
 *
 * @module
 */
import type { ChatMessage } from "../llm/mod.ts";
import { type HistoryEntry, isMessageEntry } from "../memory/mod.ts";

/**
 * Builds the LLM's view of a conversation from its most recent entries.
 *
 * @param entries Entries in chronological order.
 */
export function historyMessages(entries: readonly HistoryEntry[]): ChatMessage[] {
  const messages: { role: "user" | "assistant"; content: string }[] = [];
  for (const entry of entries) {
    if (!isMessageEntry(entry)) continue;
    const last = messages.at(-1);
    if (last === undefined && entry.role === "assistant") continue;
    if (last !== undefined && last.role === entry.role) {
      last.content += `\n\n${entry.content}`;
    } else {
      messages.push({ role: entry.role, content: entry.content });
    }
  }
  return messages;
}
