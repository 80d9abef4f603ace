// Test helpers for the turn's tests: one turn of a conversation with alice, on an in-memory
// data directory, and the fake LLM answers they build on.
import type { ChatRequest, ChatResponse, ContentBlock, LlmClient } from "../llm/mod.ts";
import { silentLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import type { XmppAction } from "../xmpp/mod.ts";
import { runTurn, type TurnContext, type TurnInput } from "./turn.ts";

/** A final answer, as a fake LLM gives it. */
export function textAnswer(text: string): ChatResponse {
  return {
    content: [{ type: "text", text }],
    text,
    stop_reason: "end_turn",
    usage: { input_tokens: 1, output_tokens: 1 },
    model: "fake",
  };
}

/**
 * An LLM that answers `echo: ` and the last message it is given (its last line only, with
 * `lastLine`: a room message's text after the speaker's line), and keeps every request.
 */
export class EchoLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake-1";
  requests: ChatRequest[] = [];
  #lastLine: boolean;
  #usage: ChatResponse["usage"];

  /** @param options What it echoes, and the usage each answer reports. */
  constructor(
    options: { lastLine?: boolean; usage?: ChatResponse["usage"] } = {},
  ) {
    this.#lastLine = options.lastLine ?? false;
    this.#usage = options.usage ?? { input_tokens: 1, output_tokens: 1 };
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  chat(request: ChatRequest): Promise<ChatResponse> {
    this.requests.push(request);
    const last = request.messages.at(-1)?.content;
    const said = typeof last !== "string" ? "?" : this.#lastLine ? last.split("\n").at(-1) : last;
    const text = `echo: ${said}`;
    return Promise.resolve({
      content: [{ type: "text", text }],
      text,
      stop_reason: "end_turn",
      usage: { ...this.#usage },
      model: this.model,
    });
  }
}

/** A round of tool calls, as a fake LLM gives it. */
export function toolCalls(
  calls: { id: string; name: string; input: Record<string, unknown> }[],
): ChatResponse {
  return {
    content: calls.map((call): ContentBlock => ({ type: "tool_use", ...call })),
    text: "",
    stop_reason: "tool_use",
    usage: { input_tokens: 1, output_tokens: 1 },
    model: "fake",
  };
}

/** What one test turn did. */
export interface TestTurn {
  /** Every action the turn sent. */
  sent: XmppAction[];
  /** The bodies of the messages it sent, in order. */
  bodies: string[];
  /** The in-memory store (under `/data`) the turn read and wrote. */
  memory: MemoryStore;
}

/** What {@linkcode runTestTurn} takes besides the defaults: the LLM at least. */
export type TestTurnContext = Partial<Omit<TurnContext, "memory">> & Pick<TurnContext, "llm"> & {
  /** @default {an empty store under `/data`} */
  memory?: MemoryStore;
};

/**
 * Runs one turn of alice@localhost's conversation; `input` and `context` override the
 * defaults (a 20-message history, 100 tokens, no idle timeout).
 *
 * @param input What the turn is about; `conversation`, `promptJid` and `reply` default to alice's
 * @param context The LLM and whatever else the test sets
 */
export async function runTestTurn(
  input: Partial<TurnInput>,
  context: TestTurnContext,
): Promise<TestTurn> {
  const memory = context.memory ?? new MemoryStore("/data", { fs: new InMemoryFs() });
  const sent: XmppAction[] = [];
  await runTurn({
    conversation: "alice@localhost",
    promptJid: "alice@localhost",
    reply: { to: "alice@localhost/x", messageType: "chat" },
    ...input,
  }, {
    name: "Agent",
    send: (action) => sent.push(action),
    log: silentLogger(),
    now: () => new Date(),
    maxHistoryMessages: 20,
    maxTokens: 100,
    idleTimeoutMs: 0,
    ...context,
    memory,
  });
  const bodies = sent.flatMap((action) => action.type === "message" ? [action.body] : []);
  return { sent, bodies, memory };
}
