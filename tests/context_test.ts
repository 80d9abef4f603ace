/**
 * The context under a token budget, end to end (a real Prosody, slixmpp as the person, the
 * agent as a child process, a fake Anthropic API that applies the documented prompt-caching
 * rules): a fact told in the first message is still known after 50 long messages under a small
 * budget, every request stays within the budget, the session file keeps every message, and a
 * failing summariser loses nothing.
 */
import { assertEquals, assertIncludes, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { countMessageTokens } from "./support/_fake_anthropic_cache.ts";
import { type FakeCall, type FakeReply, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";
const BUDGET = 3000;
/** The documented bound of the agent's token estimates. */
const ESTIMATE_ERROR_BOUND = 0.4;

type Body = { system?: unknown; messages: { role: string; content: unknown }[] };

const isSummaryCall = (call: FakeCall) =>
  String((call.request.body as Body).system ?? "").startsWith("You write the running summary");
const isFlushCall = (call: FakeCall) =>
  String((call.request.body as Body).system ?? "").startsWith("From the chat messages below");

/** A summariser that keeps the locker code when it sees it, as a real model would. */
function summariser(call: FakeCall): FakeReply {
  const input = JSON.stringify((call.request.body as Body).messages);
  if (isFlushCall(call)) {
    return { text: input.includes("4417") ? "- Alice's locker code is 4417" : "NONE" };
  }
  if (isSummaryCall(call)) {
    const code = input.includes("4417") ? "Alice's locker code is 4417. " : "";
    return { text: `${code}Alice wrote at length about the harbour and its boats.` };
  }
  return undefined;
}

function longMessage(n: number): string {
  return `Note ${n}: ` + "the harbour boats leave at dawn and come back with the tide, ".repeat(10);
}

async function historyLines(dataDir: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`);
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

/** The history a chat request carries (everything before its new message), in fake tokens. */
function historyTokens(body: Body): number {
  return countMessageTokens(body.messages.slice(0, -1));
}

Deno.test("a fact told first survives 50 long messages under a small budget, within it", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm({ prompt_cache: true, handler: summariser });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    promptCache: true,
    llmToml: `dm_history_token_budget = ${BUDGET}`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "Please keep this in mind: my locker code is 4417.");
  await alice.nextMessage({ from: BOT, withBody: true });
  for (let n = 1; n <= 50; n++) {
    await alice.send(BOT, longMessage(n));
    assertIncludes(
      (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "",
      `Note ${n}:`,
    );
  }
  await alice.send(BOT, "What is my locker code?");
  await alice.nextMessage({ from: BOT, withBody: true });

  const chats = llm.requests.filter((request) => {
    const system = JSON.stringify((request.body as Body | undefined)?.system ?? "");
    return request.path === "/v1/messages" && system.includes("You are Fluux Agent");
  });
  assertEquals(chats.length, 52);
  const last = chats.at(-1)!.body as Body;
  assertIncludes(JSON.stringify(last), "4417");
  for (const request of chats) {
    const tokens = historyTokens(request.body as Body);
    assertTrue(tokens <= BUDGET * (1 + ESTIMATE_ERROR_BOUND), `a request's history is ${tokens}`);
  }
  const lines = await historyLines(agent.dataDir);
  const users = lines.filter((line) => line.type === "message" && line.role === "user");
  assertEquals(users.map((line) => line.content), [
    "Please keep this in mind: my locker code is 4417.",
    ...Array.from({ length: 50 }, (_, i) => longMessage(i + 1).trim()),
    "What is my locker code?",
  ]);
  const summaries = lines.filter((line) => line.type === "summary");
  assertTrue(summaries.length >= 3, `${summaries.length} compactions`);
  assertIncludes(
    await Deno.readTextFile(`${agent.dataDir}/alice@localhost/memory.md`),
    "- Alice's locker code is 4417",
  );

  await alice.send(BOT, "/status");
  const status = (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "";
  const share = Number(/Prompt cache: (\d+)%/.exec(status)?.[1]);
  assertTrue(share >= 50, status);
  assertIncludes(status, `Summarised: ${summaries.at(-1)!.compacted_count} messages`);
});

Deno.test("a failing summariser loses nothing: a plain cut, a warning, then compaction", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  let failing = true;
  await using llm = await startFakeLlm({
    prompt_cache: true,
    handler: (call) =>
      failing && (isSummaryCall(call) || isFlushCall(call)) ? { status: 500 } : summariser(call),
  });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    promptCache: true,
    llmToml: "dm_history_token_budget = 1500",
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  for (let n = 1; n <= 20; n++) {
    await alice.send(BOT, longMessage(n));
    assertIncludes(
      (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "",
      `Note ${n}:`,
    );
  }
  await agent.waitForLog(/WARN .*Compaction of alice@localhost failed/);
  let lines = await historyLines(agent.dataDir);
  assertEquals(lines.filter((line) => line.type === "summary").length, 0);
  assertEquals(lines.filter((line) => line.type === "message").length, 40);
  const chats = llm.requests.filter((request) =>
    JSON.stringify((request.body as Body | undefined)?.system ?? "").includes("You are Fluux Agent")
  );
  for (const request of chats) {
    const tokens = historyTokens(request.body as Body);
    assertTrue(tokens <= 1500 * (1 + ESTIMATE_ERROR_BOUND), `a request's history is ${tokens}`);
  }

  failing = false;
  await alice.send(BOT, "and now?");
  await alice.nextMessage({ from: BOT, withBody: true });
  await eventually(
    "the reply stored",
    async () => (await historyLines(agent.dataDir)).length >= 44,
  );
  lines = await historyLines(agent.dataDir);
  const [summary, ...more] = lines.filter((line) => line.type === "summary");
  assertTrue(summary !== undefined && more.length === 0, "one summary");
  // It stands for every message the failed turns left out of view; the others are kept.
  assertEquals(Number(summary.compacted_count) + Number(summary.kept_count), 41);
  assertEquals(lines.filter((line) => line.type === "message").length, 42);
});
