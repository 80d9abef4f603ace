/**
 * A conversation's `memory.md` past `memory.notes_token_budget`, end to end (a real Prosody,
 * slixmpp as the person, the agent as a child process, a fake Anthropic API): the prompt carries
 * only the newest lines under a note saying the rest stays in the file, and the flush of the next
 * compaction has the light tier consolidate the notes — memory.md is replaced by the consolidated
 * list, the previous text is kept in memory.archive.md, the next prompt carries the new notes,
 * and the call is in the usage ledger, where the quota counts it; `/memory clear` removes both.
 */
import { join } from "node:path";
import { assertEquals, assertExcludes, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml, startAgent } from "./support/agent_process.ts";
import { type FakeCall, type FakeReply, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

type Body = { system?: unknown; messages: { role: string; content: unknown }[] };

const systemOf = (body: unknown) => {
  const system = (body as Body | undefined)?.system ?? "";
  return typeof system === "string" ? system : JSON.stringify(system);
};
const isFlushCall = (call: FakeCall) => systemOf(call.request.body).startsWith("From the chat");
const isSummaryCall = (call: FakeCall) =>
  systemOf(call.request.body).startsWith("You write the running summary");
const isConsolidationCall = (call: FakeCall) =>
  systemOf(call.request.body).startsWith("You keep the long-term notes");

/** Notes written by hand, over a 300-token budget: 40 facts, the newest last. */
const HAND_NOTES = `# What I know about Alice\n${
  Array.from({ length: 40 }, (_, i) => `- Locker ${i + 1} holds Alice's blue umbrella`).join("\n")
}\n`;
const CONSOLIDATED = "- Lockers 1 to 40 hold Alice's blue umbrellas\n- Alice's locker code is 4417";

function script(call: FakeCall): FakeReply {
  if (isFlushCall(call)) return { text: "- Alice's locker code is 4417" };
  if (isSummaryCall(call)) return { text: "Alice wrote at length about the harbour." };
  if (isConsolidationCall(call)) return { text: CONSOLIDATED };
  return undefined;
}

function longMessage(n: number): string {
  return `Note ${n}: ` + "the harbour boats leave at dawn and come back with the tide, ".repeat(10);
}

Deno.test("memory.md past its budget: the prompt carries its newest lines, a flush consolidates it", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm({ handler: script });
  const dir = await Deno.makeTempDir({ prefix: "notes-budget-test-" });
  // Declared before the agent, so removed after it stops.
  await using _dir = { [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
  const dataDir = join(dir, "memory");
  const folder = join(dataDir, "alice@localhost");
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeTextFile(join(folder, "memory.md"), HAND_NOTES);
  const options = {
    prosody,
    llmUrl: llm.url,
    llmToml: "dm_history_token_budget = 1500",
  };
  const config = agentConfigToml(options, dataDir).replace(
    `path = "${dataDir}"`,
    `path = "${dataDir}"\nnotes_token_budget = 300`,
  );
  await using agent = await startAgent({ ...options, dir, dataDir, configToml: config });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  const turns = () =>
    llm.requests.filter((request) => systemOf(request.body).includes("You are Fluux Agent"));
  await alice.send(BOT, "Hello");
  await alice.nextMessage({ from: BOT, withBody: true });
  const first = systemOf(turns()[0]!.body);
  assertIncludes(first, "## Your notes about this conversation\n[Older notes left out here: ");
  assertIncludes(first, "lines. They stay in memory.md.]");
  assertIncludes(first, "- Locker 40 holds Alice's blue umbrella");
  assertExcludes(first, "- Locker 1 holds Alice's blue umbrella");

  // Long messages until a compaction flushes a fact, which leaves the notes over the budget.
  for (
    let n = 1;
    n <= 20 && !llm.requests.some((r) => systemOf(r.body).startsWith("You keep"));
    n++
  ) {
    await alice.send(BOT, longMessage(n));
    assertIncludes(
      (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "",
      `Note ${n}:`,
    );
  }
  await agent.waitForLog(/INFO .*Consolidated the memory\.md of alice@localhost/);

  assertEquals(await Deno.readTextFile(join(folder, "memory.md")), `${CONSOLIDATED}\n`);
  const archive = await Deno.readTextFile(join(folder, "memory.archive.md"));
  assertIncludes(archive, HAND_NOTES);
  assertIncludes(archive, "- Alice's locker code is 4417");
  assertTrue(/## Replaced by consolidated notes at \d{4}-\d\d-\d\dT/.test(archive), archive);
  const consolidation = llm.requests.find((r) => systemOf(r.body).startsWith("You keep"))!;
  assertIncludes(JSON.stringify(consolidation.body), "Locker 1 holds Alice's blue umbrella");

  await alice.send(BOT, "What is my locker code?");
  await alice.nextMessage({ from: BOT, withBody: true });
  const last = systemOf(turns().at(-1)!.body);
  assertIncludes(last, `## Your notes about this conversation\n${CONSOLIDATED}`);
  assertExcludes(last, "Older notes left out here");

  const month = new Date().toISOString().slice(0, 7);
  const ledger = (await Deno.readTextFile(join(dataDir, "usage", `${month}.jsonl`))).trim()
    .split("\n").map((line) => JSON.parse(line));
  assertTrue(
    ledger.some((line) =>
      line.purpose === "memory_consolidation" && line.conversation === "alice@localhost"
    ),
    JSON.stringify(ledger.map((line) => line.purpose)),
  );

  // The person asks for the notes to go: the archive goes with them.
  await alice.send(BOT, "/memory clear");
  assertEquals(
    (await alice.nextMessage({ from: BOT, withBody: true })).body,
    "Done: memory.md is empty now.",
  );
  const left = [...Deno.readDirSync(folder)].map((entry) => entry.name);
  assertTrue(!left.includes("memory.md") && !left.includes("memory.archive.md"), `${left}`);
});
