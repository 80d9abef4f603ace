import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import type { LlmClient } from "../llm/mod.ts";
import { testContext } from "./_testing.ts";
import { rememberTool } from "./remember_tool.ts";

function setUp() {
  const memory = new MemoryStore("/data", { fs: new InMemoryFs(), durability: "none" });
  const context = testContext(memory, {} as LlmClient);
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
