import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import type { ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import { silentLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import { withCarryOver } from "./carry_over.ts";
import { testContext } from "./_testing.ts";

const JID = "alice@localhost";

function setUp(answer: () => Promise<string>) {
  const fs = new InMemoryFs();
  const memory = new MemoryStore("/data", { fs, durability: "none", promptTtlMs: 0 });
  const llm: LlmClient = {
    provider: "fake",
    model: "fake",
    check: () => Promise.resolve(),
    chat: async (_request: ChatRequest): Promise<ChatResponse> => {
      const text = await answer();
      return {
        content: [{ type: "text", text }],
        text,
        stop_reason: "end_turn",
        usage: { input_tokens: 1, output_tokens: 1 },
        model: "fake",
      };
    },
  };
  const context = testContext(memory, llm);
  const carrying = withCarryOver(memory, context, { isRoom: () => false, log: silentLogger() });
  return { fs, memory, carrying };
}

Deno.test("withCarryOver() summarises the finished session into context.md for the next one", async () => {
  const { fs, memory, carrying } = setUp(() => Promise.resolve("Alice plans a trip to Oslo."));
  await fs.mkdirp(`/data/${JID}`);
  const profile = await fs.openAppend(`/data/${JID}/user.md`);
  await profile.write(new TextEncoder().encode("Alice, a sailor."));
  profile.close();
  await memory.append(JID, { type: "message", role: "user", content: "I go to Oslo on the 3rd" });
  assertTrue((await carrying.archive(JID)) !== null);
  assertEquals(await memory.messageCount(JID), 0);
  const parts = await memory.promptParts(JID);
  assertEquals(parts.user, "Alice, a sailor.");
  assertIncludes(parts.previous ?? "", "Alice plans a trip to Oslo.");
  assertIncludes(parts.previous ?? "", "summarised by the agent, 2026-12-01");
});

Deno.test("withCarryOver() archives even when the summary fails, and keeps a hand-kept context.md", async () => {
  const { memory, carrying } = setUp(() => Promise.reject(new Error("LLM down")));
  await memory.append(JID, { type: "message", role: "user", content: "hello" });
  assertTrue((await carrying.archive(JID)) !== null);
  assertEquals(await memory.readNote(JID, "context.md"), null);

  const works = setUp(() => Promise.resolve("A summary."));
  await works.fs.mkdirp(`/data/${JID}`);
  const legacy = await works.fs.openAppend(`/data/${JID}/context.md`);
  await legacy.write(new TextEncoder().encode("Alice's profile, kept by hand."));
  legacy.close();
  await works.memory.append(JID, { type: "message", role: "user", content: "hello" });
  assertTrue((await works.carrying.archive(JID)) !== null);
  assertEquals(await works.memory.readNote(JID, "context.md"), "Alice's profile, kept by hand.");
});
