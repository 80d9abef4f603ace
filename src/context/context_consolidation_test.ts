// ContextManager consolidating memory.md once a flush or `remember` leaves it over the budget:
// the rewrite replaces the file, the old text goes to memory.archive.md, and a failed or useless
// answer leaves the file as it was with a warning; and however many facts flushes add, the prompt
// leaves room for the history.
import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import {
  type ChatRequest,
  type ChatResponse,
  estimateTokens,
  type LlmClient,
  LlmError,
  type StopReason,
} from "../llm/mod.ts";
import { createLogger } from "../log/mod.ts";
import { buildSystemPrompt } from "../agent/mod.ts";
import { historyView } from "../agent/history_messages.ts";
import { type HistoryEntry, InMemoryFs, MemoryStore } from "../memory/mod.ts";
import { ContextManager } from "./context_manager.ts";
import { testContext } from "./_testing.ts";
import { notesInPrompt } from "./notes_in_prompt.ts";

const JID = "alice@localhost";
const BUDGET = 300;
const isConsolidation = (request: ChatRequest) =>
  request.system.startsWith("You keep the long-term notes");

/** Answers each call with what `answer` gives; records the calls. */
class ScriptedLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake";
  calls: { request: ChatRequest; options: Record<string, unknown> | undefined }[] = [];
  constructor(
    public answer: (request: ChatRequest) => { text: string; stop?: StopReason } | Error,
  ) {}
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(request: ChatRequest, options?: Record<string, unknown>): Promise<ChatResponse> {
    this.calls.push({ request, options });
    const answer = this.answer(request);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({
      content: [{ type: "text", text: answer.text }],
      text: answer.text,
      stop_reason: answer.stop ?? "end_turn",
      usage: { input_tokens: 10, output_tokens: 10 },
      model: "fake",
    });
  }
}

function world(answer: ScriptedLlm["answer"]) {
  const fs = new InMemoryFs();
  const memory = new MemoryStore("/data", { fs, durability: "none" });
  const llm = new ScriptedLlm(answer);
  const lines: string[] = [];
  const context = testContext(memory, llm, {
    log: createLogger("context", { level: "debug", write: (line) => lines.push(line) }),
    settings: { notesTokenBudget: BUDGET },
  });
  return { fs, memory, llm, lines, context };
}

/** A memory.md over the budget: 40 facts, some repeated in other words. */
const OLD_NOTES = `## 2026-11-01\n${
  Array.from({ length: 40 }, (_, i) => `- Alice's locker ${i} holds a blue umbrella`).join("\n")
}\n`;
const CONSOLIDATED = "- Alice's lockers 0 to 39 each hold a blue umbrella";

Deno.test("remember() past the budget consolidates memory.md and archives the old text", async () => {
  const w = world((request) =>
    isConsolidation(request) ? { text: `${CONSOLIDATED}\n- Alice's cat is Tom` } : { text: "?" }
  );
  await w.memory.appendNote(JID, "memory.md", OLD_NOTES);
  assertTrue(estimateTokens(OLD_NOTES) > BUDGET);
  assertEquals(await w.context.remember(JID, ["Alice's cat is Tom"]), 1);

  const call = w.llm.calls.find((c) => isConsolidation(c.request))!;
  assertEquals(call.options, {
    tier: "light",
    conversation: JID,
    purpose: "memory_consolidation",
  });
  assertIncludes(call.request.system, `within about ${BUDGET / 2} tokens`);
  const sent = String(call.request.messages[0]!.content);
  assertIncludes(sent, "- Alice's locker 39 holds a blue umbrella");
  assertIncludes(sent, "## 2026-12-01\n- Alice's cat is Tom");

  assertEquals(
    await w.memory.readNote(JID, "memory.md"),
    `${CONSOLIDATED}\n- Alice's cat is Tom\n`,
  );
  assertEquals(
    await w.memory.readNote(JID, "memory.archive.md"),
    `\n## Replaced by consolidated notes at 2026-12-01T10:00:00.000Z\n\n${OLD_NOTES}` +
      `\n## 2026-12-01\n- Alice's cat is Tom\n`,
  );
  assertTrue(
    w.lines.some((line) => /INFO .*Consolidated the memory\.md of alice@localhost/.test(line)),
  );
});

Deno.test("remember() within the budget makes no consolidation call", async () => {
  const w = world(() => ({ text: "should not be asked" }));
  await w.context.remember(JID, ["Alice's cat is Tom"]);
  assertEquals(w.llm.calls.length, 0);
  assertEquals(await w.memory.readNote(JID, "memory.archive.md"), null);
});

const useless: [string, ScriptedLlm["answer"], RegExp][] = [
  ["fails", () => new LlmError("Overloaded", { kind: "overloaded" }), /failed.*Overloaded/],
  ["is empty", () => ({ text: "  \n" }), /left as it was: the answer was empty/],
  [
    "is not smaller",
    (request) => ({ text: String(request.messages[0]!.content) }),
    /is not smaller than the notes/,
  ],
  ["is cut off", () => ({ text: CONSOLIDATED, stop: "max_tokens" }), /cut off at its token limit/],
];
for (const [what, answer, warning] of useless) {
  Deno.test(`an answer that ${what} leaves memory.md as it was, with a warning`, async () => {
    const w = world(answer);
    await w.memory.appendNote(JID, "memory.md", OLD_NOTES);
    assertEquals(await w.context.remember(JID, ["Alice's cat is Tom"]), 1);
    const expected = `${OLD_NOTES}\n## 2026-12-01\n- Alice's cat is Tom\n`;
    assertEquals(await w.memory.readNote(JID, "memory.md"), expected);
    assertEquals(await w.memory.readNote(JID, "memory.archive.md"), null);
    assertTrue(
      w.lines.some((line) => line.includes("WARN") && warning.test(line)),
      w.lines.join("\n"),
    );
  });
}

Deno.test("a failed consolidation is not asked again until the notes grew by half a budget", async () => {
  const w = world((request) =>
    isConsolidation(request) ? { text: String(request.messages[0]!.content) } : { text: "" }
  );
  await w.memory.appendNote(JID, "memory.md", OLD_NOTES);
  await w.context.remember(JID, ["Alice's cat is Tom"]);
  assertEquals(w.llm.calls.length, 1);
  // Each call would carry the whole file again, for the same useless answer.
  await w.context.remember(JID, ["Alice's dog is Rex"]);
  assertEquals(w.llm.calls.length, 1);
  const more = Array.from({ length: 30 }, (_, i) => `Alice's bicycle ${i} is red and has a bell`);
  await w.context.remember(JID, more);
  assertEquals(w.llm.calls.length, 2);
});

Deno.test("a hand-edited memory.md over the budget is consolidated like any other", async () => {
  const w = world((request) => isConsolidation(request) ? { text: CONSOLIDATED } : { text: "" });
  const edited = OLD_NOTES.replaceAll("- ", "* ").replace("## 2026-11-01\n", "My notes\n");
  w.fs.files.set("/data/alice@localhost/memory.md", new TextEncoder().encode(edited));
  // Already there: nothing new to note, but the file is over the budget all the same.
  assertEquals(await w.context.remember(JID, ["Alice's locker 3 holds a blue umbrella"]), 0);
  assertEquals(await w.memory.readNote(JID, "memory.md"), `${CONSOLIDATED}\n`);
  assertIncludes((await w.memory.readNote(JID, "memory.archive.md"))!, edited);
});

Deno.test("facts noted while the consolidation call runs follow the consolidated notes", async () => {
  const w = world((request) => isConsolidation(request) ? { text: CONSOLIDATED } : { text: "" });
  const chat = w.llm.chat.bind(w.llm);
  // A fact another turn notes while the model is rewriting the notes.
  w.llm.chat = async (request, options) => {
    await w.memory.appendNote(JID, "memory.md", "- Alice moved to Lyon\n");
    return await chat(request, options);
  };
  await w.memory.appendNote(JID, "memory.md", OLD_NOTES);
  await w.context.remember(JID, ["Alice's cat is Tom"]);
  assertEquals(
    await w.memory.readNote(JID, "memory.md"),
    `${CONSOLIDATED}\n- Alice moved to Lyon\n`,
  );
  assertIncludes((await w.memory.readNote(JID, "memory.archive.md"))!, "- Alice moved to Lyon\n");
});

Deno.test("a long conversation whose flushes keep adding facts keeps its last exchange in view", async () => {
  let flushes = 0;
  const fs = new InMemoryFs();
  const memory = new MemoryStore("/data", {
    fs,
    durability: "none",
    promptNotes: (text) => notesInPrompt(text, { tokenBudget: 4000 }),
  });
  // Each flush finds 20 new facts; no consolidation ever comes back smaller (the worst case).
  const llm = new ScriptedLlm((request) => {
    if (request.system.includes("durable facts worth remembering")) {
      flushes++;
      return {
        text: Array.from(
          { length: 20 },
          (_, i) =>
            `- On flush ${flushes}, Alice gave fact ${i}: ${"the harbour boats sail ".repeat(6)}`,
        )
          .join("\n"),
      };
    }
    if (isConsolidation(request)) return { text: String(request.messages[0]!.content) };
    return { text: "Summary: Alice wrote about the harbour." };
  });
  const context = new ContextManager({
    memory,
    llm,
    log: createLogger("context", { level: "error", write: () => {} }),
    now: () => new Date("2026-12-01T10:00:00Z"),
    // The window of a model the agent does not know.
    settings: {
      dmBudget: 50_000,
      mucBudget: 50_000,
      contextWindow: 32_768,
      modelId: "ollama:unknown",
      maxTokens: 1024,
    },
  });
  const long = (n: number) => `message ${n}: ${"lorem ipsum dolor sit amet ".repeat(600)}`;
  for (let n = 0; n < 300; n++) {
    const text = long(n);
    const system = buildSystemPrompt(await memory.promptParts(JID), { name: "Fluux Agent" });
    const entries = await context.read(JID);
    const stored = memory.append(JID, { type: "message", role: "user", content: text });
    const entry = { type: "message", role: "user", content: text, ts: "now" } as HistoryEntry;
    const { messages } = await context.select({
      conversation: JID,
      entries: [...entries, entry],
      newEntries: 1,
      system,
      tools: [],
      room: false,
      stored,
      render: (list, newFrom) => historyView(list, newFrom),
    });
    await stored;
    await memory.append(JID, { type: "message", role: "assistant", content: `ok ${n}` });
    assertTrue(
      estimateTokens(system) < 6000,
      `turn ${n}: a system prompt of ${estimateTokens(system)} tokens`,
    );
    if (n > 0) {
      assertIncludes(JSON.stringify(messages.slice(0, -1)), `ok ${n - 1}`, `turn ${n}`);
    }
  }
  assertTrue(flushes >= 50, `${flushes} flushes`);
  // Every fact stays in the file, which the whole context window could not hold by now.
  const file = (await memory.readNote(JID, "memory.md"))!;
  assertIncludes(file, "On flush 1, Alice gave fact 0");
  assertTrue(estimateTokens(file) > 32_768, `memory.md is ${estimateTokens(file)} tokens`);
});
