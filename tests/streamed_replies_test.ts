/**
 * Answers that arrive as they are written, end to end: a real Prosody, slixmpp as the person,
 * the agent as a child process, and the fake LLM streaming Anthropic's server-sent events (and,
 * for paragraphs, Ollama's NDJSON lines too) at a set token rate. Paragraphs arrive as messages
 * of their own, in order; corrections grow one message through XEP-0308; a stream broken off
 * keeps what was shown and says so; each answer is one history entry.
 */
import { assertEquals, assertIncludes, assertTrue, eventually } from "./support/assert.ts";
import { agentConfigToml, startAgent } from "./support/agent_process.ts";
import { type FakeLlm, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type Human, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { markdownToStyling } from "../src/xmpp/mod.ts";

const BOT = "bot@localhost";
const PARAGRAPHS = [
  "The first paragraph says what the answer is about.",
  "The second one adds a detail\nover two lines.",
  "```ts\nconst a = 1;\n\nconst b = 2;\n```",
  "And the last one ends it.",
];
const ANSWER = PARAGRAPHS.join("\n\n");
/** What the answer looks like on the wire: the LLM's Markdown as XEP-0393 styling. */
const STYLED = markdownToStyling(ANSWER);

/** Whether `body` is what a start of the answer looks like on the wire (styled, trimmed). */
function isStyledStart(body: string | undefined): boolean {
  if (body === undefined || body === "") return false;
  for (let end = 1; end <= ANSWER.length; end++) {
    if (markdownToStyling(ANSWER.slice(0, end).trim()) === body) return true;
  }
  return false;
}
const REPLACE = /<replace[^>]*xmlns=["']urn:xmpp:message-correct:0["'][^>]*>/;

async function historyLines(dataDir: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`).catch(() => "");
  return text.trim() === "" ? [] : text.trim().split("\n").map((line) => JSON.parse(line));
}

async function assistantEntries(dataDir: string) {
  return (await historyLines(dataDir)).filter((line) => line.role === "assistant");
}

/** The agent with `[agent] stream_replies = mode`, alice and the fake LLM. */
async function setUp(
  mode: string,
  llm: FakeLlm,
  prosody: Awaited<ReturnType<typeof startProsody>>,
  provider: "anthropic" | "ollama" = "anthropic",
) {
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-stream-" });
  const toml = agentConfigToml({ prosody, llmUrl: llm.url, provider }, dataDir)
    .replace("[agent]\n", `[agent]\nstream_replies = "${mode}"\n`);
  const agent = await startAgent({ prosody, llmUrl: llm.url, dataDir, configToml: toml });
  const alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  return {
    agent,
    alice,
    dataDir,
    async [Symbol.asyncDispose]() {
      await alice.close();
      await agent.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** The agent's messages with a body, up to the one that carries `active`. */
async function untilActive(alice: Human): Promise<HumanMessage[]> {
  const messages: HumanMessage[] = [];
  while (messages.at(-1)?.chatState !== "active") {
    messages.push(await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 }));
  }
  return messages;
}

async function servers() {
  const prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  return prosody;
}

for (const provider of ["anthropic", "ollama"] as const) {
  Deno.test(`paragraphs (${provider}): each paragraph arrives as its own message, in order; one history entry`, async () => {
    await paragraphsArriveInOrder(provider);
  });
}

async function paragraphsArriveInOrder(provider: "anthropic" | "ollama") {
  await using prosody = await servers();
  await using llm = await startFakeLlm({ tokens_per_second: 50 });
  llm.script(() => ({ text: ANSWER }));
  await using world = await setUp("paragraphs", llm, prosody, provider);
  const { alice, dataDir } = world;
  await alice.send(BOT, "tell me");
  const messages = await untilActive(alice);
  assertEquals(messages.map((m) => m.body), PARAGRAPHS);
  assertEquals(
    messages.map((m) => m.chatState),
    ["composing", "composing", "composing", "active"],
  );
  assertTrue(messages.every((m) => !REPLACE.test(m.xml)), "no corrections");
  await eventually("the answer stored", async () => (await assistantEntries(dataDir)).length > 0);
  const entries = await assistantEntries(dataDir);
  assertEquals(entries.map((e) => e.content), [ANSWER]);
  assertEquals(entries[0]?.msg_id, messages[0]?.id, "the entry names the first message");
  assertEquals((llm.requests.at(-1)?.body as { stream?: boolean }).stream, true);
}

Deno.test("corrections: one message grows through XEP-0308 corrections to the whole answer", async () => {
  await using prosody = await servers();
  // About 40 tokens at 20 a second: the answer takes two seconds to write.
  await using llm = await startFakeLlm({ tokens_per_second: 20 });
  llm.script(() => ({ text: ANSWER }));
  await using world = await setUp("corrections", llm, prosody);
  const { alice, dataDir } = world;
  await alice.send(BOT, "tell me");
  const messages = await untilActive(alice);
  const [first, ...corrections] = messages;
  assertTrue(first !== undefined && !REPLACE.test(first.xml), "the first is a new message");
  assertTrue(isStyledStart(first.body), `a start of the answer: ${first.body}`);
  assertTrue(corrections.length >= 1, "corrected at least once");
  for (const correction of corrections) {
    const replace = REPLACE.exec(correction.xml)?.[0] ?? "";
    assertIncludes(replace, `id="${first.id}"`, "each correction replaces the first message");
    assertTrue(isStyledStart(correction.body), `a start of the answer: ${correction.body}`);
  }
  assertEquals(messages.at(-1)?.body, STYLED);
  const lengths = messages.map((m) => m.body?.length ?? 0);
  assertTrue(lengths.every((n, i) => i === 0 || n > lengths[i - 1]!), `it grows: ${lengths}`);
  await eventually("the answer stored", async () => (await assistantEntries(dataDir)).length > 0);
  const entries = await assistantEntries(dataDir);
  assertEquals(entries.map((e) => [e.content, e.msg_id]), [[ANSWER, first.id]]);
});

Deno.test("a stream broken off midway keeps what was shown, says the answer was cut, stores it", async () => {
  await using prosody = await servers();
  await using llm = await startFakeLlm({ tokens_per_second: 200 });
  // The first two paragraphs and the start of the code block, then the connection breaks.
  llm.script(() => ({ text: ANSWER, cut_after_tokens: 26 }));
  await using world = await setUp("paragraphs", llm, prosody);
  const { agent, alice, dataDir } = world;
  await alice.send(BOT, "tell me");
  const messages: HumanMessage[] = [];
  while (!(messages.at(-1)?.body ?? "").includes("cut off")) {
    messages.push(await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 }));
  }
  const bodies = messages.map((m) => m.body ?? "");
  assertEquals(bodies.slice(0, 2), PARAGRAPHS.slice(0, 2), "the complete paragraphs, in order");
  const note = bodies.at(-1) ?? "";
  assertIncludes(note, "cut off");
  assertEquals(messages.at(-1)?.chatState, "paused");
  const shown = bodies.slice(0, -1).join("\n\n");
  assertTrue(isStyledStart(shown) && shown.length < STYLED.length, `a part: ${shown}`);
  await agent.waitForLog(/the answer broke off/);
  await eventually("the answer stored", async () => (await assistantEntries(dataDir)).length > 0);
  const entries = await assistantEntries(dataDir);
  // The history keeps the LLM's own text (Markdown), of which what was shown is the styling.
  const stored = String(entries[0]?.content ?? "");
  assertEquals(entries.length, 1);
  assertTrue(stored.endsWith(`\n\n${note}`), stored);
  const storedPart = stored.slice(0, -`\n\n${note}`.length);
  assertTrue(ANSWER.startsWith(storedPart), storedPart);
  assertEquals(markdownToStyling(storedPart), shown);
  assertEquals(llm.chat_count, 1, "a stream that showed text is not asked again");
  const users = (await historyLines(dataDir)).filter((line) => line.role === "user");
  assertEquals(users.map((u) => u.content), ["tell me"]);
});
