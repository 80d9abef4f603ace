import { assertEquals } from "../../tests/support/assert.ts";
import type { ChatOptions, ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import { silentLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import type { XmppAction } from "../xmpp/mod.ts";
import { runTurn, type TurnInput } from "./turn.ts";

class CountingLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake";
  options: (ChatOptions | undefined)[] = [];
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(_request: ChatRequest, options?: ChatOptions): Promise<ChatResponse> {
    this.options.push(options);
    return Promise.resolve({
      content: [{ type: "text", text: "answer" }],
      text: "answer",
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 1 },
      model: "fake",
    });
  }
}

async function turn(input: Partial<TurnInput>, over: boolean) {
  const memory = new MemoryStore("/data", { fs: new InMemoryFs() });
  const llm = new CountingLlm();
  const sent: XmppAction[] = [];
  const asked: [string, boolean | undefined][] = [];
  await runTurn({
    conversation: { jid: "alice@localhost", thread: "t1" },
    promptJid: "alice@localhost",
    reply: { to: "alice@localhost/x", messageType: "chat" },
    ...input,
  }, {
    name: "Agent",
    memory,
    llm,
    send: (action) => sent.push(action),
    log: silentLogger(),
    now: () => new Date(),
    maxHistoryMessages: 20,
    maxTokens: 100,
    idleTimeoutMs: 0,
    quota: {
      refusal: (conversation, options) => {
        asked.push([conversation, options?.room]);
        return over ? "Limit reached." : undefined;
      },
    },
  });
  const bodies = sent.flatMap((action) => action.type === "message" ? [action.body] : []);
  const stored = await memory.recent({ jid: "alice@localhost", thread: "t1" }, 10);
  return { llm, bodies, stored, asked };
}

const entry = { type: "message" as const, role: "user" as const, content: "question" };

Deno.test("runTurn() over quota: the limit message, the entry kept, no LLM call", async () => {
  const { llm, bodies, stored, asked } = await turn({ entry }, true);
  assertEquals(llm.options.length, 0);
  assertEquals(bodies, ["Limit reached."]);
  assertEquals(stored.map((e) => e.content), ["question"], "the note is not stored");
  assertEquals(asked, [["alice@localhost", false]], "the conversation's bare JID, not the thread");
});

Deno.test("runTurn() over quota says nothing for a turn nobody wrote (a greeting)", async () => {
  const { llm, bodies } = await turn({ prompt: "[I just came online.]" }, true);
  assertEquals(llm.options.length, 0);
  assertEquals(bodies, []);
});

Deno.test("runTurn() under quota calls the LLM naming the conversation whose usage it is", async () => {
  const { llm, bodies } = await turn({ entry }, false);
  assertEquals(bodies, ["answer"]);
  assertEquals(llm.options, [{
    tier: "standard",
    conversation: "alice@localhost",
    purpose: "turn",
  }]);
});
