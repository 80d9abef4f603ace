import { assertEquals, assertExcludes, assertIncludes } from "../../tests/support/assert.ts";
import type { ChatRequest, ChatResponse, LlmClient } from "../llm/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import { runTestTurn, textAnswer, toolCalls } from "./_testing.ts";
import type { ToolRunner } from "./turn.ts";
import type { TurnPersona } from "./turn_persona.ts";

/** Calls `lookup` and `shell` once (whatever it was offered), then answers. */
class RecordingLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake";
  requests: ChatRequest[] = [];
  tiers: (string | undefined)[] = [];
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(request: ChatRequest, options?: { tier?: string | undefined }): Promise<ChatResponse> {
    this.tiers.push(options?.tier);
    const { signal: _signal, ...copy } = request;
    this.requests.push(structuredClone(copy));
    if (this.requests.length === 1 && request.tools !== undefined) {
      return Promise.resolve(toolCalls([
        { id: "a", name: "lookup", input: {} },
        { id: "b", name: "shell", input: {} },
      ]));
    }
    return Promise.resolve(textAnswer("done"));
  }
}

function runner(ran: string[]): ToolRunner {
  const tool = (name: string) => ({ name, description: name, input_schema: { type: "object" } });
  return {
    definitions: () => [tool("lookup"), tool("shell")],
    call: (call) => {
      ran.push(call.name);
      return Promise.resolve({ tool_use_id: call.id, content: "ok", is_error: false });
    },
  };
}

async function turn(
  persona: TurnPersona | undefined,
  options: { files?: Record<string, string>; tierFor?: (c: string, own: string) => string } = {},
) {
  const fs = new InMemoryFs();
  for (const [path, text] of Object.entries(options.files ?? {})) {
    fs.files.set(path, new TextEncoder().encode(text));
  }
  const memory = new MemoryStore("/data", { fs });
  const llm = new RecordingLlm();
  const ran: string[] = [];
  const asked: string[] = [];
  await runTestTurn({
    entry: { type: "message", role: "user", content: "hello" },
  }, {
    memory,
    llm,
    maxTokens: 1000,
    tools: runner(ran),
    ...(options.tierFor === undefined ? {} : { tierFor: options.tierFor }),
    persona: (conversation) => {
      asked.push(conversation);
      return Promise.resolve(persona);
    },
  });
  return { llm, ran, asked };
}

const PIRATE: TurnPersona = {
  prompt: { identity: "You are a pirate.", instructions: "Say arr.", context: "The seas." },
  tier: "heavy",
  skills: ["lookup"],
  maxTokens: 300,
};

Deno.test("runTurn() with a persona: its prompt files, tier, tools and token cap", async () => {
  const { llm, ran, asked } = await turn(PIRATE, {
    files: { "/data/personality.md": "Global personality." },
  });
  assertEquals(asked, ["alice@localhost"]);
  const system = llm.requests[0]!.system;
  assertIncludes(system, "You are a pirate.");
  assertIncludes(system, "Say arr.");
  assertIncludes(system, "## Background\nThe seas.");
  assertIncludes(system, "Global personality.", "a file the persona lacks is the global one");
  assertExcludes(system, "You are Agent");
  assertEquals(llm.requests[0]!.tools?.map((tool) => tool.name), ["lookup"]);
  assertEquals(llm.requests.map((request) => request.max_tokens), [300, 300]);
  assertEquals(llm.tiers, ["heavy", "heavy"]);
  assertEquals(ran, ["lookup"], "a tool the persona lacks does not run");
  const refused = llm.requests[1]!.messages.at(-1)!.content;
  assertIncludes(
    JSON.stringify(refused),
    'The tool \\"shell\\" is not available to the current persona.',
  );
});

Deno.test("runTurn() with a persona: the conversation's own file wins, /tier still wins", async () => {
  const { llm } = await turn(PIRATE, {
    files: { "/data/alice@localhost/identity.md": "You are Alice's own agent." },
    tierFor: (_conversation, own) => own === "heavy" ? "light" : own,
  });
  const system = llm.requests[0]!.system;
  assertIncludes(system, "You are Alice's own agent.");
  assertExcludes(system, "You are a pirate.");
  assertEquals(llm.tiers, ["light", "light"]);
});

Deno.test("runTurn() without a persona: every tool, the agent's cap and tier", async () => {
  const { llm, ran } = await turn(undefined);
  assertEquals(llm.requests[0]!.tools?.map((tool) => tool.name), ["lookup", "shell"]);
  assertEquals(llm.requests[0]!.max_tokens, 1000);
  assertEquals(llm.tiers, ["standard", "standard"]);
  assertEquals(ran, ["lookup", "shell"]);
  assertIncludes(llm.requests[0]!.system, "You are Agent");
});

Deno.test("runTurn() with a persona whose skills are [] offers no tool", async () => {
  const { llm, ran } = await turn({ prompt: {}, skills: [] });
  assertEquals(llm.requests[0]!.tools, undefined);
  assertEquals(ran, []);
});
