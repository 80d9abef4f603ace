/**
 * What a turn asks of the context of its conversation (`ContextManager` in `src/context/`):
 * the entries to read, the messages to send under the budget (compacting first when over it),
 * and what each call cost.
 *
 * @module
 */
import type { ChatMessage, ChatResponse, ToolDefinition } from "../llm/mod.ts";
import type { ConversationRef, HistoryEntry } from "../memory/mod.ts";

/** The context of a turn's conversation. */
export interface TurnWindow {
  /** Whether requests carry prompt-cache hints. */
  readonly promptCache: boolean;
  /** The session's last entries a selection needs. */
  read(ref: ConversationRef): Promise<HistoryEntry[]>;
  /** The messages to send, and how many of them the next request repeats. */
  select(request: {
    conversation: ConversationRef;
    entries: readonly HistoryEntry[];
    newEntries: number;
    system: string;
    tools: readonly ToolDefinition[];
    room: boolean;
    stored: Promise<unknown>;
    render: (
      entries: HistoryEntry[],
      newFrom: number,
    ) => { messages: ChatMessage[]; stable: number };
  }): Promise<{ messages: ChatMessage[]; stable: number }>;
  /** Notes what one call of the turn cost. */
  observe(
    ref: ConversationRef,
    request: { system: string; messages: ChatMessage[]; tools: readonly ToolDefinition[] },
    response: ChatResponse,
  ): void;
}
