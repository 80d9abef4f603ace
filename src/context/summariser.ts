/**
 * The LLM calls of compaction: the summary of the oldest messages (building on the previous
 * summary), and the memory flush that first pulls the durable facts out of them. Both run on
 * the `light` tier, which a model router serves with the conversation's model when the config
 * names no light model.
 *
 * @module
 */
import type { LlmClient } from "../llm/mod.ts";
import type { MessageEntry } from "../memory/mod.ts";

/** What both calls run with. */
export interface SummariserOptions {
  /** A room (speakers are named and kept apart) or a one-to-one chat. */
  room: boolean;
  /** The tier of the calls. @default {"light"} */
  tier?: string;
  /** The longest answer, in tokens. @default {1024} */
  maxTokens?: number;
  /** The conversation the call is for: its tokens count against that conversation's quota. */
  conversation?: string;
}

/** The longest summary kept, in characters (about 2,000 tokens). */
export const MAX_SUMMARY_CHARS = 8000;

const SUMMARY_SYSTEM = [
  "You write the running summary of a chat between a person (or a group) and an AI assistant.",
  "The assistant will read your summary instead of the messages it replaces, so keep every",
  "durable fact: names, dates, numbers, preferences, decisions, promises, open questions and",
  "what was asked of the assistant. Fold the previous summary in: nothing it holds may be lost.",
  "Write plain, compact prose or a short list; no preamble.",
].join(" ");

const ROOM_NOTE = "This is a group chat: say who said what, by name. Messages that addressed " +
  "the assistant, and decisions, matter most.";

const FLUSH_SYSTEM = [
  "From the chat messages below, list the durable facts worth remembering for later",
  "conversations: preferences, decisions, names, dates and numbers the person gave. One fact per",
  "line, each starting with '- ', self-contained (say whose). If there are none, answer NONE.",
].join(" ");

/**
 * Summarises messages, with the previous summary.
 *
 * @returns The new summary's text.
 * @throws {LlmError} When the call fails. @throws {Error} When the answer is empty.
 */
export async function summarise(
  llm: LlmClient,
  previous: string | undefined,
  messages: readonly MessageEntry[],
  options: SummariserOptions,
): Promise<string> {
  const parts = [
    previous === undefined ? undefined : `Previous summary:\n${previous}`,
    `Messages to add to the summary:\n${transcript(messages)}`,
  ].filter((part) => part !== undefined);
  const response = await llm.chat({
    system: options.room ? `${SUMMARY_SYSTEM}\n${ROOM_NOTE}` : SUMMARY_SYSTEM,
    messages: [{ role: "user", content: parts.join("\n\n") }],
    max_tokens: options.maxTokens ?? 1024,
  }, callOptions(options, "compaction"));
  const text = response.text.trim();
  if (text === "") throw new Error("The summary came back empty");
  // A summary as long as what it replaces would undo the compaction.
  return text.length <= MAX_SUMMARY_CHARS ? text : `${text.slice(0, MAX_SUMMARY_CHARS)}…`;
}

/**
 * The durable facts of messages, one per item.
 *
 * @throws {LlmError} When the call fails.
 */
export async function extractFacts(
  llm: LlmClient,
  messages: readonly MessageEntry[],
  options: SummariserOptions,
): Promise<string> {
  const response = await llm.chat({
    system: FLUSH_SYSTEM,
    messages: [{ role: "user", content: transcript(messages) }],
    max_tokens: options.maxTokens ?? 1024,
  }, callOptions(options, "memory_flush"));
  return response.text;
}

/** The tier, and for the usage ledger the conversation and why the call was made. */
function callOptions(options: SummariserOptions, purpose: string) {
  return {
    tier: options.tier ?? "light",
    ...(options.conversation === undefined ? {} : { conversation: options.conversation }),
    purpose,
  };
}

/** Messages as dated lines, each with its speaker. */
export function transcript(messages: readonly MessageEntry[]): string {
  return messages.map((message) => {
    const who = message.role === "assistant"
      ? "assistant"
      : message.sender === undefined
      ? "user"
      : message.sender.replace(/@muc$/, "");
    return `[${message.ts.slice(0, 16).replace("T", " ")}] ${who}: ${message.content}`;
  }).join("\n");
}
