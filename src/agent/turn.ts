/**
 * One conversational turn: store the user's message first (a failed call loses nothing),
 * show `composing`, ask the LLM with the recent history, store and send the answer with
 * `active`. On failure: `paused`, then a short explanation that leaks nothing of the API.
 *
 * @module
 */
import { type LlmClient, LlmError } from "../llm/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { HistoryEntry, NewHistoryEntry, PromptParts } from "../memory/mod.ts";
import type { MessageEvent, XmppAction } from "../xmpp/mod.ts";
import { historyMessages } from "./history_messages.ts";
import { buildSystemPrompt } from "./system_prompt.ts";

/** The memory operations a turn uses. */
export interface TurnMemory {
  append(jid: string, entry: NewHistoryEntry): Promise<unknown>;
  recent(jid: string, n: number): Promise<HistoryEntry[]>;
  lastActivity(jid: string): Promise<Date | null>;
  archive(jid: string): Promise<string | null>;
  promptParts(jid: string): Promise<PromptParts>;
}

/** Everything a turn needs. */
export interface TurnContext {
  name: string;
  memory: TurnMemory;
  llm: LlmClient;
  send: (action: XmppAction) => void;
  log: Logger;
  now: () => Date;
  /** How many recent messages the LLM sees. */
  maxHistoryMessages: number;
  /** Largest answer, in tokens. */
  maxTokens: number;
  /** Idle time after which the next message starts a new session; 0 = never. */
  idleTimeoutMs: number;
}

/**
 * Answers one chat message through the LLM.
 *
 * @param message The user's message (already allowed by policy).
 * @param context The turn's collaborators.
 */
export async function runTurn(message: MessageEvent, context: TurnContext): Promise<void> {
  const { memory, llm, send, log, now } = context;
  const jid = message.bare;
  const reply = (body: string, chatState: "active" | "paused") =>
    send({ type: "message", to: message.from, body, chatState, ...thread(message) });

  await startNewSessionIfIdle(jid, context);
  await memory.append(jid, {
    type: "message",
    role: "user",
    content: message.body,
    ...(message.id === undefined ? {} : { msg_id: message.id }),
  });
  send({ type: "chat_state", to: message.from, state: "composing", ...thread(message) });

  let answer: string;
  try {
    const [entries, parts] = await Promise.all([
      memory.recent(jid, context.maxHistoryMessages),
      memory.promptParts(jid),
    ]);
    const response = await llm.chat({
      system: buildSystemPrompt(parts, { name: context.name, now: now() }),
      messages: historyMessages(entries),
      max_tokens: context.maxTokens,
    });
    answer = response.text.trim() || "(The language model returned an empty answer.)";
  } catch (error) {
    log.warn(`LLM call for ${jid} failed: ${describe(error)}`);
    send({ type: "chat_state", to: message.from, state: "paused", ...thread(message) });
    reply(userFacingError(error), "paused");
    return;
  }
  await memory.append(jid, { type: "message", role: "assistant", content: answer });
  reply(answer, "active");
}

async function startNewSessionIfIdle(jid: string, context: TurnContext): Promise<void> {
  if (context.idleTimeoutMs <= 0) return;
  const last = await context.memory.lastActivity(jid);
  if (last === null) return;
  if (context.now().getTime() - last.getTime() < context.idleTimeoutMs) return;
  const archived = await context.memory.archive(jid);
  if (archived !== null) context.log.info(`Idle session of ${jid} archived; starting a new one`);
}

function thread(message: MessageEvent): { thread?: string } {
  return message.thread === undefined ? {} : { thread: message.thread };
}

function describe(error: unknown): string {
  if (error instanceof LlmError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A short, safe explanation for the user; the raw API response stays out of chat. */
export function userFacingError(error: unknown): string {
  const saved = "Your message is saved; please try again in a moment.";
  if (!(error instanceof LlmError)) {
    return `Sorry, something went wrong while preparing an answer. ${saved}`;
  }
  switch (error.kind) {
    case "timeout":
      return `Sorry, the language model did not answer in time. ${saved}`;
    case "rate_limit":
    case "overloaded":
      return `Sorry, the language model is busy right now. ${saved}`;
    case "auth":
      return "Sorry, the language model refused the agent's credentials. " +
        "Please tell the administrator. Your message is saved.";
    case "permission":
      return "Sorry, the agent is not permitted to reach its language model. " +
        "Please tell the administrator. Your message is saved.";
    default:
      return `Sorry, I could not get an answer from the language model. ${saved}`;
  }
}
