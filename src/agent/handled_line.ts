/**
 * The one log line each handled message gets, so that an operator can follow what the agent
 * does: the conversation, the kind of message and what answered it, with the LLM's latency
 * and tokens. Never the content.
 *
 * @module
 */
import type { ConversationRef } from "../memory/mod.ts";

/** What the LLM part of a turn cost. */
export interface LlmStats {
  /** Time spent waiting for the LLM, in milliseconds (tool runs excluded). */
  ms: number;
  /** LLM calls made (one per tool round, plus the answer). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Tool calls the LLM made. */
  toolCalls: number;
}

/**
 * The start of the line: `Handled chat from alice@example.org` or
 * `Handled groupchat in room@conference.example.org (thread t1)`.
 *
 * @param kind The message kind (`chat`, `normal`, `groupchat`, `reaction`).
 * @param ref The conversation.
 * @param room Whether the conversation is a room.
 */
export function handledPrefix(kind: string, ref: ConversationRef, room: boolean): string {
  return `Handled ${kind} ${room ? "in" : "from"} ${describeRef(ref)}`;
}

/** `412 ms, 2 LLM calls, 1 tool call, 1234 in / 56 out tokens`. */
export function describeLlmStats(stats: LlmStats): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [
    `${Math.round(stats.ms)} ms`,
    plural(stats.calls, "LLM call"),
    ...(stats.toolCalls > 0 ? [plural(stats.toolCalls, "tool call")] : []),
    `${stats.inputTokens} in / ${stats.outputTokens} out tokens`,
  ].join(", ");
}

/** A conversation for log lines: the JID, and the thread when there is one. */
export function describeRef(ref: ConversationRef): string {
  return typeof ref === "string" ? ref : `${ref.jid}${ref.thread ? ` (thread ${ref.thread})` : ""}`;
}
