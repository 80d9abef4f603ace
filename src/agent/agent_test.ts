import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import { type ChatRequest, type ChatResponse, type LlmClient, LlmError } from "../llm/mod.ts";
import { silentLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import type { RosterItem, XmppAction } from "../xmpp/mod.ts";
import { Agent } from "./agent.ts";

class ScriptedLlm implements LlmClient {
  readonly provider = "fake";
  readonly model = "fake-1";
  requests: ChatRequest[] = [];
  fail: LlmError | undefined;
  chat(request: ChatRequest): Promise<ChatResponse> {
    this.requests.push(request);
    if (this.fail) return Promise.reject(this.fail);
    const last = request.messages.at(-1)?.content;
    const text = `echo: ${typeof last === "string" ? last : "?"}`;
    return Promise.resolve({
      content: [{ type: "text", text }],
      text,
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 1 },
      model: this.model,
    });
  }
}

function setup(
  options: { roster?: RosterItem[]; idleTimeoutMs?: number; maxHistoryMessages?: number } = {},
) {
  const clock = { now: new Date("2026-11-27T10:00:00Z") };
  const sent: XmppAction[] = [];
  const llm = new ScriptedLlm();
  const memory = new MemoryStore("/data", { fs: new InMemoryFs(), now: () => clock.now });
  const agent = new Agent({
    name: "Fluux Agent",
    memory,
    llm,
    xmpp: {
      send: (action) => sent.push(action),
      roster: () => Promise.resolve(options.roster ?? []),
    },
    rules: { allowedJids: ["alice@localhost"], allowedDomains: [], ownDomain: "localhost" },
    log: silentLogger(),
    now: () => clock.now,
    maxHistoryMessages: options.maxHistoryMessages ?? 20,
    maxTokens: 1000,
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    status: () => ({
      startedAt: new Date(),
      mode: "client",
      provider: "fake",
      model: "fake-1",
      usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
    }),
  });
  const say = (body: string, from = "Alice@localhost/phone") => {
    agent.handle({
      type: "message",
      from,
      bare: from.split("/")[0]!.toLowerCase(),
      body,
      kind: "chat",
    });
    return agent.idle();
  };
  return { agent, sent, llm, memory, say, clock };
}

Deno.test("Agent answers an allowed user: composing, then the reply with active", async () => {
  const { sent, say, memory } = setup();
  await say("hello");
  assertEquals(sent, [
    { type: "chat_state", to: "Alice@localhost/phone", state: "composing" },
    { type: "message", to: "Alice@localhost/phone", body: "echo: hello", chatState: "active" },
  ]);
  const stored = await memory.recent("alice@localhost", 10);
  assertEquals(stored.map((e) => [e.role, e.content]), [["user", "hello"], [
    "assistant",
    "echo: hello",
  ]]);
});

Deno.test("Agent ignores a stranger without calling the LLM", async () => {
  const { sent, say, llm } = setup();
  await say("hi", "eve@localhost/x");
  await say("hi", "alice@evil.example/x");
  assertEquals(sent, []);
  assertEquals(llm.requests.length, 0);
});

Deno.test("Agent answers commands without the LLM or a chat state", async () => {
  const { sent, say, llm } = setup();
  await say("/ping");
  assertEquals(sent, [{ type: "message", to: "Alice@localhost/phone", body: "pong" }]);
  assertEquals(llm.requests.length, 0);
});

Deno.test("Agent keeps the message and says so briefly when the LLM fails", async () => {
  const { sent, say, llm, memory } = setup();
  llm.fail = new LlmError("Anthropic API error 500", { kind: "server", status: 500 });
  await say("are you there?");
  assertEquals(sent.map((a) => a.type === "chat_state" ? a.state : "message"), [
    "composing",
    "paused",
    "message",
  ]);
  const reply = sent.at(-1);
  assertTrue(reply?.type === "message");
  assertIncludes(reply.body, "Your message is saved");
  assertEquals((await memory.recent("alice@localhost", 10)).map((e) => e.content), [
    "are you there?",
  ]);
  llm.fail = undefined;
  await say("now?");
  const lastRequest = llm.requests.at(-1);
  assertEquals(lastRequest?.messages, [{ role: "user", content: "are you there?\n\nnow?" }]);
});

Deno.test("Agent subscribes to allowed JIDs missing from the roster and accepts their requests", async () => {
  const { agent, sent } = setup({ roster: [] });
  agent.handle({ type: "online", jid: "bot@localhost/fluux-agent" });
  await new Promise((resolve) => setTimeout(resolve, 0));
  agent.handle({ type: "subscribe", bare: "alice@localhost" });
  agent.handle({ type: "subscribe", bare: "eve@localhost" });
  assertEquals(sent, [
    { type: "subscribe", to: "alice@localhost" },
    { type: "subscribed", to: "alice@localhost" },
  ]);
});

Deno.test("Agent starts a new session after the idle timeout", async () => {
  const { say, llm, memory, clock } = setup({ idleTimeoutMs: 30 * 60_000 });
  await say("first");
  clock.now = new Date(clock.now.getTime() + 29 * 60_000);
  await say("second");
  assertEquals(llm.requests.at(-1)?.messages.length, 3, "within the timeout: same session");
  clock.now = new Date(clock.now.getTime() + 31 * 60_000);
  await say("after a break");
  assertEquals(llm.requests.at(-1)?.messages, [{ role: "user", content: "after a break" }]);
  assertEquals(await memory.archivedSessions("alice@localhost"), 1);
});

Deno.test("Agent shows the LLM only the most recent messages", async () => {
  const { say, llm } = setup({ maxHistoryMessages: 3 });
  for (const text of ["one", "two", "three"]) await say(text);
  assertEquals(llm.requests.at(-1)?.messages.map((m) => m.content), [
    "two",
    "echo: two",
    "three",
  ]);
});
