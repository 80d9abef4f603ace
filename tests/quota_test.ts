/**
 * Quotas as a user notices them, end to end (a real Prosody, slixmpp as the human, the agent
 * as a child process, a local server speaking Anthropic's API): past the daily limit a message
 * gets the limit message with its reset time and makes no LLM call, slash commands still
 * answer, the message is kept, and a restart changes none of it (the ledger is on disk).
 */
import assert from "node:assert/strict";
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml, startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

Deno.test("a user over the daily quota gets the limit message, causes no LLM call, and a restart keeps the count", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await using llm = await startFakeLlm({
    handler: (call) => ({
      text: `echo: ${call.last_user_text}`,
      usage: { input_tokens: 80, output_tokens: 30 },
    }),
  });
  const options = { prosody, llmUrl: llm.url, allowedJids: ["alice@localhost", "bob@localhost"] };
  const configToml = agentConfigToml(options, "./memory") + `
[quota]
daily_tokens = 100
[quota.cost]
"test-model" = { input = 3.0, output = 15.0 }
`;
  const dir = await Deno.makeTempDir({ prefix: "fluux-agent-quota-" });
  try {
    {
      await using _agent = await startAgent({ ...options, configToml, dir });
      await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
      await alice.send(BOT, "first question");
      assertEquals(
        (await alice.nextMessage({ from: BOT, withBody: true })).body,
        "echo: first question",
        "under the limit: answered (and 110 tokens used)",
      );
      const chats = llm.chat_count;
      await alice.send(BOT, "second question");
      const refused = await alice.nextMessage({ from: BOT, withBody: true });
      assert.match(
        refused.body ?? "",
        /^You have used today's 100 tokens \(110 used\), so I cannot answer for now\. The limit resets at \d{4}-\d\d-\d\d 00:00 UTC \(in [\dhms ]+\)\. Commands such as \/usage still work\.$/,
      );
      assertEquals(llm.chat_count, chats, "no LLM call");

      await alice.send(BOT, "/usage");
      const usage = (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "";
      assertIncludes(usage, "UTC): 110 tokens (input 80, output 30, cache read 0, cache write 0)");
      assertIncludes(usage, "about $0.0007");
      assertIncludes(usage, "Daily limit: 100 tokens, 0 left");

      // Another person has a quota of their own.
      await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });
      await bob.send(BOT, "hi from bob");
      assertEquals(
        (await bob.nextMessage({ from: BOT, withBody: true })).body,
        "echo: hi from bob",
      );
    }
    // A new process reads the month back from the data directory.
    await using agent = await startAgent({ ...options, configToml, dir });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    const chats = llm.chat_count;
    await alice.send(BOT, "third question, after the restart");
    assert.match(
      (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "",
      /^You have used today's 100 tokens \(110 used\)/,
    );
    assertEquals(llm.chat_count, chats, "no LLM call after the restart either");
    const history = await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`);
    assertTrue(history.includes("second question"), "the refused message is kept");
    assertTrue(history.includes("third question, after the restart"));
    assertTrue(!history.includes("You have used today's"), "the limit message is not history");
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
