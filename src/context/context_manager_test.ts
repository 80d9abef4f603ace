import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import { historyView } from "../agent/history_messages.ts";
import {
  type ChatRequest,
  type ChatResponse,
  estimateTokens,
  type LlmClient,
  LlmError,
} from "../llm/mod.ts";
import { createLogger } from "../log/mod.ts";
import { type HistoryEntry, InMemoryFs, isMessageEntry, MemoryStore } from "../memory/mod.ts";
import { ContextManager, type ContextSettings } from "./context_manager.ts";
import { testContext } from "./_testing.ts";
import { isSummaryEntry } from "./summary_entry.ts";

const JID = "alice@localhost";

/** Answers summary and flush calls; fails them while `failing` is set. */
class SummaryLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake";
  failing = false;
  calls: { request: ChatRequest; tier: string | undefined }[] = [];
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(request: ChatRequest, options?: { tier?: string | undefined }): Promise<ChatResponse> {
    this.calls.push({ request, tier: options?.tier });
    if (this.failing) {
      return Promise.reject(new LlmError("Overloaded", { kind: "overloaded" }));
    }
    const input = String(request.messages[0]?.content ?? "");
    const text = request.system.includes("durable facts worth remembering")
      ? (input.includes("Tom") ? "- Alice's cat is called Tom" : "NONE")
      : `Summary: ${input.includes("Tom") ? "Alice's cat is called Tom. " : ""}` +
        `${(input.match(/\] user:/g) ?? []).length} user messages.`;
    return Promise.resolve({
      content: [{ type: "text", text }],
      text,
      stop_reason: "end_turn",
      usage: { input_tokens: 10, output_tokens: 10 },
      model: "fake",
    });
  }
}

function world(settings: Partial<ContextSettings> = {}, fs = new InMemoryFs()) {
  const memory = new MemoryStore("/data", { fs, durability: "none" });
  const llm = new SummaryLlm();
  const lines: string[] = [];
  const log = createLogger("context", { level: "debug", write: (line) => lines.push(line) });
  const context = testContext(memory, llm, { log, settings });
  return { fs, memory, llm, lines, context };
}

/** One turn as the turn runs it: the new message stored, then the selection. */
async function turn(w: ReturnType<typeof world>, text: string) {
  const entries = await w.context.read(JID);
  const stored = w.memory.append(JID, { type: "message", role: "user", content: text });
  const entry = { type: "message", role: "user", content: text, ts: "now" } as HistoryEntry;
  const selection = await w.context.select({
    conversation: JID,
    entries: [...entries, entry],
    newEntries: 1,
    system: "You are a test.",
    tools: [],
    room: false,
    stored,
    render: (list, newFrom) => historyView(list, newFrom),
  });
  await stored;
  await w.memory.append(JID, { type: "message", role: "assistant", content: `ok ${text}` });
  return selection;
}

const long = (n: number) => `message ${n}: ${"lorem ipsum dolor sit amet ".repeat(8)}`;
const wire = (messages: unknown) => JSON.stringify(messages);

async function sessionMessages(memory: MemoryStore): Promise<HistoryEntry[]> {
  return await memory.recent(JID, 10_000, { include: "all" });
}

Deno.test("ContextManager compacts past the budget and the session file keeps every message", async () => {
  const w = world();
  await turn(w, "My cat is called Tom.");
  for (let n = 1; n < 40; n++) await turn(w, long(n));
  const all = await sessionMessages(w.memory);
  assertEquals(all.filter(isMessageEntry).length, 80);
  const summaries = all.filter(isSummaryEntry);
  assertTrue(summaries.length >= 2, `expected several compactions, got ${summaries.length}`);
  assertTrue(w.llm.calls.every((call) => call.tier === "light"));
  const last = await turn(w, "What is my cat called?");
  assertIncludes(wire(last.messages), "Alice's cat is called Tom");
  const tokens = Math.ceil(wire(last.messages).length / 4);
  assertTrue(tokens < 1000 * 1.4, `the history sent is ${tokens} tokens for a budget of 1000`);
  const notes = await w.memory.readNote(JID, "memory.md");
  assertEquals(notes, "## 2026-12-01\n- Alice's cat is called Tom\n");
});

Deno.test("ContextManager reads the same view back after a restart", async () => {
  const w = world();
  for (let n = 0; n < 20; n++) await turn(w, long(n));
  const before = await w.context.read(JID);
  const restarted = world({}, w.fs);
  const entry = { type: "message", role: "user", content: "next", ts: "now" } as HistoryEntry;
  const select = (context: ContextManager, entries: HistoryEntry[]) =>
    context.select({
      conversation: JID,
      entries: [...entries, entry],
      newEntries: 1,
      system: "You are a test.",
      tools: [],
      room: false,
      stored: Promise.resolve(),
      render: (list, newFrom) => historyView(list, newFrom),
    });
  const [a, b] = [
    await select(w.context, before),
    await select(restarted.context, await restarted.context.read(JID)),
  ];
  assertIncludes(wire(b.messages), "Summary of the");
  assertEquals(wire(b.messages), wire(a.messages));
});

Deno.test("ContextManager keeps each turn's prefix byte for byte until a compaction", async () => {
  const w = world({ dmBudget: 2000 });
  let previous: { messages: unknown[]; stable: number } | undefined;
  let kept = 0;
  let compactions = 0;
  for (let n = 0; n < 40; n++) {
    const selection = await turn(w, long(n));
    const summaries = (await sessionMessages(w.memory)).filter(isSummaryEntry).length;
    if (previous !== undefined && summaries === compactions) {
      const prefix = previous.messages.slice(0, previous.stable);
      assertEquals(wire(selection.messages.slice(0, previous.stable)), wire(prefix));
      kept++;
    }
    compactions = summaries;
    previous = selection;
  }
  assertTrue(compactions >= 2 && kept >= 30, `${compactions} compactions, ${kept} stable turns`);
});

Deno.test("ContextManager loses nothing when the summariser fails, and retries next turn", async () => {
  const w = world();
  w.llm.failing = true;
  let selection;
  for (let n = 0; n < 20; n++) selection = await turn(w, long(n));
  assertEquals((await sessionMessages(w.memory)).filter(isSummaryEntry).length, 0);
  assertTrue(w.lines.some((line) => line.includes("WARN") && line.includes("Compaction of")));
  assertTrue(Math.ceil(wire(selection!.messages).length / 4) < 1400);
  assertEquals((await sessionMessages(w.memory)).filter(isMessageEntry).length, 40);
  w.llm.failing = false;
  await turn(w, "again");
  const summaries = (await sessionMessages(w.memory)).filter(isSummaryEntry);
  assertEquals(summaries.length, 1);
  // Every message the failed turns left out of view is in the summary, the rest kept as is.
  assertEquals(summaries[0]!.compacted_count + summaries[0]!.kept_count, 41);
  assertTrue(summaries[0]!.compacted_count >= 20, `${summaries[0]!.compacted_count} summarised`);
  assertTrue((await w.context.statusLines(JID)).some((line) => line.startsWith("Summarised:")));
});

Deno.test("ContextManager clamps the budget to what the model's context holds", () => {
  const w = world({ dmBudget: 50_000, contextWindow: 8192, maxTokens: 4096 });
  const system = "You are a test. ".repeat(200);
  const budget = w.context.budget(JID, false, { system, tools: [], fresh: 100 });
  assertEquals(budget, 8192 - 4096 - 100 - estimateTokens(system));
  assertEquals(w.context.budget(JID, false, { system: "", tools: [], fresh: 0 }), 8192 - 4096);
  const roomy = world({ dmBudget: 1000, contextWindow: 200_000 });
  assertEquals(roomy.context.budget(JID, false, { system, tools: [], fresh: 100 }), 1000);
});

/** An empty answer that used `usage`. */
function answered(usage: ChatResponse["usage"]): ChatResponse {
  return { content: [], text: "", stop_reason: "end_turn", model: "fake", usage };
}

Deno.test("ContextManager tells the cache share of a conversation", () => {
  const w = world();
  const response = answered({
    input_tokens: 100,
    output_tokens: 5,
    cache_read_tokens: 800,
    cache_write_tokens: 100,
  });
  w.context.observe(JID, { system: "s", messages: [], tools: [] }, response);
  return w.context.statusLines(JID).then((lines) => {
    assertIncludes(lines.join("\n"), "Prompt cache: 80% of this conversation's input tokens");
    assertTrue(
      w.lines.some((line) => line.includes("DEBUG") && line.includes("800 read from cache")),
    );
  });
});

Deno.test("ContextManager keeps the tallies of the 1,024 conversations seen last", async () => {
  const w = world();
  const response = answered({ input_tokens: 100, output_tokens: 5, cache_read_tokens: 100 });
  const jid = (n: number) => `user${n}@localhost`;
  for (let n = 0; n <= 1024; n++) {
    w.context.observe(jid(n), { system: "s", messages: [], tools: [] }, response);
  }
  const cached = async (n: number) =>
    (await w.context.statusLines(jid(n))).some((line) => line.startsWith("Prompt cache:"));
  assertEquals(await cached(0), false, "the least recent is forgotten");
  assertEquals(await cached(1), true);
  assertEquals(await cached(1024), true);
});

Deno.test("ContextManager compacts a room without writing its occupants' words to memory.md", async () => {
  const w = world();
  const ROOM = "dev@conference.localhost";
  for (let n = 0; n < 30; n++) {
    await w.memory.append(ROOM, {
      type: "message",
      role: "user",
      content: `${long(n)} My cat is called Tom.`,
      sender: n % 2 === 0 ? "alice@muc" : "mallory@muc",
    });
  }
  const entries = await w.context.read(ROOM);
  await w.context.select({
    conversation: ROOM,
    entries,
    newEntries: 1,
    system: "You are a test.",
    tools: [],
    room: true,
    stored: Promise.resolve(),
    render: (list, newFrom) => historyView(list, newFrom, { ownNick: "bot" }),
  });
  const summaries = (await w.memory.recent(ROOM, 100, { include: "all" })).filter(isSummaryEntry);
  assertEquals(summaries.length, 1);
  assertEquals(await w.memory.readNote(ROOM, "memory.md"), null);
  const asked = w.llm.calls.map((call) => call.request.system);
  assertTrue(asked.every((system) => !system.includes("durable facts worth remembering")));
  assertIncludes(String(w.llm.calls[0]!.request.messages[0]!.content), "mallory:");
});

Deno.test("ContextManager.compactNow() summarises all but the last exchange, on demand", async () => {
  const w = world({ dmBudget: 50_000 });
  assertEquals(
    await w.context.compactNow(JID, false),
    "Nothing to compact: the history is already short.",
  );
  for (let n = 0; n < 6; n++) await turn(w, long(n));
  assertEquals((await sessionMessages(w.memory)).filter(isSummaryEntry).length, 0);
  assertIncludes(await w.context.compactNow(JID, false), "10 more messages summarised (10 in all)");
  const summary = await w.context.summary(JID);
  assertEquals([summary?.compacted_count, summary?.kept_count], [10, 2]);
  assertIncludes((await w.context.statusLines(JID)).join("\n"), "Summarised: 10 messages");
});
