import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import { silentLogger } from "../log/mod.ts";
import type { LlmClient } from "../llm/mod.ts";
import { ContextManager } from "./context_manager.ts";
import { rememberTool } from "./remember_tool.ts";

function setUp() {
  const memory = new MemoryStore("/data", { fs: new InMemoryFs(), durability: "none" });
  const context = new ContextManager({
    memory,
    llm: {} as LlmClient,
    log: silentLogger(),
    now: () => new Date("2026-12-01T10:00:00Z"),
    settings: {
      dmBudget: 1000,
      mucBudget: 1000,
      contextWindow: 200_000,
      modelId: "anthropic:claude-sonnet-4-5",
      maxTokens: 1024,
    },
  });
  return { memory, tool: rememberTool(context) };
}

const where = { conversation: "alice@localhost" };

Deno.test("remember stores a fact once in the conversation's memory.md", async () => {
  const { memory, tool } = setUp();
  const call = { id: "t1", name: "remember", input: { fact: "Alice's boat is the Mistral" } };
  assertEquals((await tool.call(call, where)).content, "Remembered.");
  assertEquals((await tool.call(call, where)).content, "Already in your notes.");
  assertEquals(
    await memory.readNote("alice@localhost", "memory.md"),
    "## 2026-12-01\n- Alice's boat is the Mistral\n",
  );
  assertEquals((await memory.promptParts("alice@localhost")).memory?.includes("Mistral"), true);
});

Deno.test("remember refuses input that is not one fact", async () => {
  const { memory, tool } = setUp();
  for (const input of [{}, { fact: 3 }, { fact: "  " }, { fact: "x", other: 1 }]) {
    const result = await tool.call({ id: "t", name: "remember", input }, where);
    assertTrue(result.is_error, JSON.stringify(input));
  }
  assertEquals(await memory.readNote("alice@localhost", "memory.md"), null);
});
