import assert from "node:assert/strict";
import type { ChatRequest, ChatResponse, LlmClient } from "../../src/llm/mod.ts";
import { textAnswer } from "../../src/agent/_testing.ts";
import { extractFacts, summarise } from "../../src/context/summariser.ts";
import type { MessageEntry } from "../../src/memory/mod.ts";
import type { FakeCall } from "../../tests/support/fake_llm.ts";
import { modelLikeNotes } from "./model_like_notes.ts";

/** A client that answers as the bench's fake would, through `modelLikeNotes`, echo otherwise. */
function benchFake(): LlmClient {
  const chat = (request: ChatRequest): Promise<ChatResponse> => {
    const last = request.messages.at(-1);
    const last_user_text = typeof last?.content === "string" ? last.content : "";
    const call = {
      api: "anthropic",
      request: { body: { system: request.system } },
      last_user_text,
    } as unknown as FakeCall;
    const reply = modelLikeNotes(call);
    const text = reply !== undefined && "text" in reply && typeof reply.text === "string"
      ? reply.text
      : `echo: ${last_user_text}`;
    return Promise.resolve(textAnswer(text));
  };
  return { chat } as unknown as LlmClient;
}

const messages: MessageEntry[] = [
  { type: "message", role: "user", content: "message 1", ts: "2026-12-03T13:00:00.000Z" },
  {
    type: "message",
    role: "assistant",
    content: "echo: message 1",
    ts: "2026-12-03T13:00:01.000Z",
  },
];

// The bench's figures rest on this: were the agent's prompts to change, the fake would go back
// to echoing whole transcripts into memory.md, and the bench would measure that again.
Deno.test("the bench's fake answers the agent's real memory flush with one fact, not the transcript", async () => {
  const facts = await extractFacts(benchFake(), messages, { room: false });
  assert.match(facts, /^- The person sent messages of \d+ characters in all$/);
});

Deno.test("the bench's fake answers the agent's real summary request with one line", async () => {
  const summary = await summarise(benchFake(), undefined, messages, { room: false });
  assert.equal(summary, "The person sent numbered messages; the assistant echoed each.");
});

Deno.test("the bench's fake still echoes chat messages", () => {
  const call = {
    request: { body: { system: "You are bot, an AI assistant" } },
    last_user_text: "message 1",
  } as unknown as FakeCall;
  assert.equal(modelLikeNotes(call), undefined);
});
