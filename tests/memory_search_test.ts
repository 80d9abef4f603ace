/**
 * Memory search as people notice it (a real Prosody, slixmpp people, the agent as a process,
 * keyword search: no model needed): a fact from an archived session is found by the LLM's
 * `memory_search`; a hand edit of memory.md is found at the next search; another person's
 * search finds nothing of it; `/memory search` answers without the LLM; after `/forget` what
 * it erased is gone from the index too; indexing a large archive does not hold up anyone's answer.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { type FakeCall, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

/** Searches memory for the words after "recall:", then answers with what came back. */
function recaller({ last_user_text, last_is_tool_result, tool_results, tool_names }: FakeCall) {
  if (last_is_tool_result) return { text: `Recalled: ${tool_results.join(" ").slice(0, 600)}` };
  const match = /^recall: (.+)$/.exec(last_user_text);
  if (match === null) return undefined;
  assertTrue(tool_names.includes("memory_search"), tool_names.join());
  return { tool_calls: [{ name: "memory_search", input: { query: match[1]! } }] };
}

Deno.test("memory search: archived facts and hand edits are found, only in their own conversation", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await using llm = await startFakeLlm();
  llm.script(recaller);
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    allowedJids: ["alice@localhost", "bob@localhost"],
    extraToml: `[memory.search]\nenabled = true\nprovider = "none"\n`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });
  await alice.send(BOT, "My locker code is zebra-4417, remember it.");
  await alice.nextMessage({ from: BOT, withBody: true });
  await alice.send(BOT, "/new");
  await alice.nextMessage({ from: BOT, withBody: true });

  await alice.send(BOT, "recall: locker code");
  // What the search found comes in paragraphs: the whole answer is read.
  const found = await alice.nextAnswer({ from: BOT, timeoutMs: 15_000 });
  assertIncludes(found.body ?? "", "zebra-4417");

  await bob.send(BOT, "recall: locker code zebra");
  const nothing = await bob.nextAnswer({ from: BOT, timeoutMs: 15_000 });
  assertTrue(!(nothing.body ?? "").includes("zebra-4417"), nothing.body);

  // A hand edit of the memory file is seen at the next search.
  await Deno.writeTextFile(
    `${agent.dataDir}/alice@localhost/memory.md`,
    "# Notes\n\nAlice's bicycle is a green Brompton.\n",
  );
  await alice.send(BOT, "recall: bicycle");
  const edited = await alice.nextAnswer({ from: BOT, timeoutMs: 15_000 });
  assertIncludes(edited.body ?? "", "green Brompton");

  const chats = llm.chat_count;
  await alice.send(BOT, "/memory search locker");
  const direct = await alice.nextMessage({ from: BOT, withBody: true });
  assertIncludes(direct.body ?? "", "zebra-4417");
  assertEquals(llm.chat_count, chats, "/memory search asks no LLM");

  // /forget erases the session and the profile (archives are kept): the index forgets them.
  await alice.send(BOT, "/forget");
  await alice.nextMessage({ from: BOT, withBody: true });
  await alice.send(BOT, "/memory search Brompton");
  const after = await alice.nextMessage({ from: BOT, withBody: true });
  assertTrue(!(after.body ?? "").includes("green Brompton"), after.body);
});

/** A session file of `count` messages, the needle in the middle: a large archive to index. */
function largeArchive(jid: string, count: number, needle: string): string {
  const start = Date.parse("2026-10-01T09:00:00Z");
  const lines = [{ type: "session", version: 1, created: new Date(start).toISOString(), jid }];
  for (let i = 0; i < count; i++) {
    const content = i === count / 2
      ? needle
      : `note ${i} about the weekly report ${"w".repeat(300)}`;
    lines.push({
      type: "message",
      role: i % 2 === 0 ? "user" : "assistant",
      content,
      ts: new Date(start + i * 1000).toISOString(),
    } as never);
  }
  return lines.map((line) => JSON.stringify(line) + "\n").join("");
}

Deno.test("memory search: the agent keeps answering others while a large archive is indexed", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await using llm = await startFakeLlm();
  llm.script(recaller);
  const dataDir = await Deno.makeTempDir({ prefix: "search_reindex_" });
  const archive = `${dataDir}/alice@localhost/sessions`;
  await Deno.mkdir(archive, { recursive: true });
  // About 10 MB of an old session: indexing it takes seconds, none of them bob's.
  await Deno.writeTextFile(
    `${archive}/20261001-090000.jsonl`,
    largeArchive("alice@localhost", 30_000, "The boathouse key is under the blue stone."),
  );
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    dataDir,
    allowedJids: ["alice@localhost", "bob@localhost"],
    extraToml: `[memory.search]\nenabled = true\nprovider = "none"\n`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });

  // Alice's search starts the first indexing of her archive; bob asks meanwhile.
  await alice.send(BOT, "recall: boathouse key");
  await bob.send(BOT, "Hello, are you there?");
  const toBob = await bob.nextMessage({ from: BOT, withBody: true, timeoutMs: 30_000 });
  const aliceEarly = alice.events.filter((e) =>
    e.kind === "message" && e.from.startsWith(BOT) && e.body !== undefined
  );
  assertEquals(aliceEarly.length, 0, "bob's answer came while alice's search was still indexing");
  assertTrue((toBob.body ?? "") !== "", "bob got an answer");

  const found = await alice.nextAnswer({ from: BOT, timeoutMs: 120_000 });
  assertIncludes(found.body ?? "", "blue stone");
  assertEquals(agent.dataDir, dataDir);
  await Deno.remove(dataDir, { recursive: true });
});
