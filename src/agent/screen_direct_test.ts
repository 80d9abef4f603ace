import { assertEquals, assertIncludes, assertTrue } from "../../tests/support/assert.ts";
import { createLogger } from "../log/mod.ts";
import { InMemoryFs, MemoryStore } from "../memory/mod.ts";
import type { MessageEvent, XmppAction } from "../xmpp/mod.ts";
import { Agent } from "./agent.ts";
import { memoryBookStorage } from "./json_book.ts";
import { RoomBook } from "./room_book.ts";
import { EchoLlm } from "./_testing.ts";

/** An agent on an in-memory data directory; `restart()` makes a new one on the same files. */
function setup() {
  const fs = new InMemoryFs();
  const clock = { now: new Date("2026-11-27T10:00:00Z") };
  const sent: XmppAction[] = [];
  const lines: string[] = [];
  const llm = new EchoLlm({ usage: { input_tokens: 12, output_tokens: 3 } });
  const log = createLogger("test", { level: "debug", write: (line) => lines.push(line) });
  let memory = new MemoryStore("/data", { fs, now: () => clock.now });
  const create = () =>
    new Agent({
      name: "Fluux Agent",
      memory,
      llm,
      xmpp: { send: (action) => sent.push(action), roster: () => Promise.resolve([]) },
      rules: { allowedJids: ["alice@localhost"], allowedDomains: [], ownDomain: "localhost" },
      log,
      now: () => clock.now,
      maxHistoryMessages: 20,
      maxTokens: 1000,
      idleTimeoutMs: 0,
      rooms: [],
      roomBook: new RoomBook(memoryBookStorage()),
      maxMessageChars: 100,
      status: () => ({
        startedAt: new Date(),
        mode: "client",
        provider: "fake",
        model: "fake-1",
        usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
      }),
    });
  let agent = create();
  const receive = (body: string, extra: Partial<MessageEvent> = {}) => {
    agent.handle({
      type: "message",
      from: "alice@localhost/phone",
      bare: "alice@localhost",
      to: "bot@localhost/agent",
      body,
      kind: "chat",
      ...extra,
    });
    return agent.idle();
  };
  const restart = async () => {
    await agent.idle();
    await memory.close();
    memory = new MemoryStore("/data", { fs, now: () => clock.now });
    agent = create();
  };
  const replies = () => sent.filter((a) => a.type === "message").map((a) => a.body);
  const stored = () => memory.recent("alice@localhost", 50);
  return { receive, restart, replies, stored, llm, lines, clock };
}

Deno.test("Agent answers an encrypted message once an hour, without the LLM or the history", async () => {
  const { receive, replies, stored, llm, lines, clock } = setup();
  await receive("", { id: "e1", encrypted: "omemo" });
  await receive("", { id: "e2", encrypted: "omemo" });
  assertEquals(replies().length, 1, "one notice for two encrypted messages");
  assertIncludes(replies()[0] ?? "", "cannot read encrypted messages");
  assertIncludes(replies()[0] ?? "", "OMEMO");
  assertIncludes(replies()[0] ?? "", "plain messages work");
  assertEquals(llm.requests.length, 0);
  assertEquals(await stored(), []);
  assertTrue(
    lines.some((line) =>
      /INFO .*Handled chat from alice@localhost: encrypted \(OMEMO\), notice sent/.test(line)
    ),
  );
  assertTrue(lines.some((line) => /encrypted \(OMEMO\), already told/.test(line)));
  clock.now = new Date(clock.now.getTime() + 3_600_000);
  await receive("", { id: "e3", encrypted: "otr" });
  assertEquals(replies().length, 2, "told again after an hour");
  await receive("plain now");
  assertEquals(replies().at(-1), "echo: plain now");
  assertEquals((await stored()).map((e) => e.content), ["plain now", "echo: plain now"]);
});

Deno.test("Agent answers a message delivered again after a restart once, and stores it once", async () => {
  const { receive, restart, replies, stored, llm, lines } = setup();
  await receive("hello once", { id: "m1", stanzaId: "sid-1" });
  await restart();
  // Offline storage: same stanza-id, same id.
  await receive("hello once", { id: "m1", stanzaId: "sid-1" });
  // Another path that lost the stanza-id: the id and the text still match.
  await receive("hello once", { id: "m1" });
  // Resent by the client after its own reconnection: the server stamped a new stanza-id.
  await receive("hello once", { id: "m1", stanzaId: "sid-2" });
  assertEquals(replies(), ["echo: hello once"]);
  assertEquals(llm.requests.length, 1);
  assertEquals(
    (await stored()).map((e) => [e.role, e.content, e.msg_id, e.stanza_id]),
    [
      ["user", "hello once", "m1", "sid-1"],
      ["assistant", "echo: hello once", (await stored())[1]?.msg_id, undefined],
    ],
  );
  assertTrue(
    lines.some((line) =>
      /DEBUG .*Dropped a message from alice@localhost delivered again \(m1, sid-1\)/.test(line)
    ),
  );
  // A client that reuses ids: same id, other words, is a new message.
  await receive("something new", { id: "m1", stanzaId: "sid-3" });
  assertEquals(replies().at(-1), "echo: something new");
});

Deno.test("Agent logs one info line per answered message: kind, conversation, latency, tokens, no content", async () => {
  const { receive, lines } = setup();
  await receive("secret words", { thread: "t-9" });
  await receive("/ping");
  const info = lines.filter((line) => line.includes(" INFO "));
  assertEquals(info.length, 2, info.join("\n"));
  assertTrue(
    /Handled chat from alice@localhost \(thread t-9\): answered by the LLM \(0 ms, 1 LLM call, 12 in \/ 3 out tokens\)$/
      .test(info[0] ?? ""),
    info[0],
  );
  assertTrue(/Handled chat from alice@localhost: command \/ping$/.test(info[1] ?? ""), info[1]);
  assertTrue(!lines.join("\n").includes("secret words"), "no content in the log");
});

Deno.test("Agent keeps a message's indentation in the history and in what the LLM reads", async () => {
  const { receive, stored, llm } = setup();
  const code = "    def f():\n        return 1";
  await receive(code);
  assertEquals((await stored())[0]?.content, code);
  assertEquals(llm.requests[0]?.messages, [{ role: "user", content: code }]);
});

Deno.test("Agent answers a message over the limit without the LLM, once, and notes it", async () => {
  const { receive, restart, replies, stored, llm, lines } = setup();
  const long = "LONGMARK ".repeat(20);
  await receive(long, { id: "big" });
  await restart();
  await receive(long, { id: "big" });
  assertEquals(replies().length, 1, "one answer for a message delivered twice");
  assertIncludes(replies()[0] ?? "", "it is 180 characters long");
  assertEquals(llm.requests.length, 0);
  await receive("short one");
  assertEquals(llm.requests.length, 1);
  const seen = JSON.stringify(llm.requests[0]?.messages);
  assertIncludes(seen, "a message of 180 characters that was not read");
  assertTrue(!seen.includes("LONGMARK"), "the LLM never gets the long message");
  assertTrue(!JSON.stringify(await stored()).includes("LONGMARK"), "nor the history");
  assertTrue(!lines.join("\n").includes("LONGMARK"), "nor the log");
});
