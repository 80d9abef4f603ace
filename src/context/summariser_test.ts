import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import type { ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import type { MessageEntry } from "../memory/mod.ts";
import { summarise, transcript } from "./summariser.ts";

const room: MessageEntry[] = [
  {
    type: "message",
    role: "user",
    content: "bot: we ship on Friday",
    sender: "alice@muc",
    ts: "2026-12-01T10:00:00Z",
  },
  {
    type: "message",
    role: "user",
    content: "agreed",
    sender: "bob@muc",
    ts: "2026-12-01T10:01:00Z",
  },
  { type: "message", role: "assistant", content: "Noted: Friday.", ts: "2026-12-01T10:02:00Z" },
];

Deno.test("transcript() keeps who said what, and when", () => {
  assertEquals(
    transcript(room),
    "[2026-12-01 10:00] alice: bot: we ship on Friday\n[2026-12-01 10:01] bob: agreed\n" +
      "[2026-12-01 10:02] assistant: Noted: Friday.",
  );
});

Deno.test("summarise() asks the light tier, with the previous summary and the room's rules", async () => {
  const seen: { request: ChatRequest; tier: string | undefined }[] = [];
  const llm: LlmClient = {
    provider: "fake",
    model: "fake",
    check: () => Promise.resolve(),
    chat(request, options): Promise<ChatResponse> {
      seen.push({ request, tier: options?.tier });
      return Promise.resolve({
        content: [{ type: "text", text: " The team ships on Friday. " }],
        text: " The team ships on Friday. ",
        stop_reason: "end_turn",
        usage: { input_tokens: 1, output_tokens: 1 },
        model: "fake",
      });
    },
  };
  assertEquals(
    await summarise(llm, "Earlier: planning.", room, { room: true }),
    "The team ships on Friday.",
  );
  assertEquals(seen[0]?.tier, "light");
  assertIncludes(seen[0]!.request.system, "say who said what");
  assertIncludes(
    String(seen[0]!.request.messages[0]?.content),
    "Previous summary:\nEarlier: planning.",
  );
  assertIncludes(String(seen[0]!.request.messages[0]?.content), "bob: agreed");
});
