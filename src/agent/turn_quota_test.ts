import { assertEquals } from "../../tests/support/assert.ts";
import type { ChatOptions, ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import { runTestTurn, textAnswer } from "./_testing.ts";
import type { TurnInput } from "./turn.ts";

class CountingLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake";
  options: (ChatOptions | undefined)[] = [];
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(_request: ChatRequest, options?: ChatOptions): Promise<ChatResponse> {
    this.options.push(options);
    return Promise.resolve(textAnswer("answer"));
  }
}

async function turn(input: Partial<TurnInput>, over: boolean) {
  const llm = new CountingLlm();
  const asked: [string, boolean | undefined][] = [];
  const { bodies, memory } = await runTestTurn({
    conversation: { jid: "alice@localhost", thread: "t1" },
    ...input,
  }, {
    llm,
    quota: {
      refusal: (conversation, options) => {
        asked.push([conversation, options?.room]);
        return over ? "Limit reached." : undefined;
      },
    },
  });
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
