/**
 * Scheduled tasks as a person notices them (a real Prosody, slixmpp as the person, the agent
 * as a process): the operator's `[[schedules]]` speak first in the right conversation, and a
 * task the person asked for through the LLM's `schedule_task` tool survives a restart and
 * fires in their conversation.
 */
import { assertEquals, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

function bodies(events: readonly { kind: string }[]): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(BOT) && m.body !== undefined)
    .map((m) => m.body!);
}

Deno.test("schedules: a text every 2 s and a prompt reach the right conversations", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await using llm = await startFakeLlm();
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    allowedJids: ["alice@localhost", "bob@localhost"],
    extraToml: `
[[schedules]]
name = "tick"
every = "2s"
to = "alice@localhost"
text = "tick"

[[schedules]]
name = "standup"
every = "3s"
to = "bob@localhost"
prompt = "Remind Bob of the stand-up."
`,
  });
  await alice.waitFor(() => bodies(alice.events).filter((b) => b === "tick").length >= 2, 15_000);
  const reminder = await bob.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
  assertTrue(
    reminder.body?.startsWith("echo: [Scheduled task] Remind Bob") === true,
    reminder.body,
  );
  assertTrue(!bodies(alice.events).some((b) => b.includes("stand-up")), "bob's task is bob's");
  assertTrue(!bodies(bob.events).includes("tick"), "alice's task is alice's");
  const history = await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`);
  assertTrue(history.includes('"source":{"kind":"schedule","id":"config:tick"}'), history);
  await agent.waitForLog(/Handled schedule config:tick for alice@localhost: sent/);
});

Deno.test("schedules: a task alice asked for through schedule_task survives a restart and fires", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  llm.script(({ last_user_text, last_is_tool_result, tool_names }) => {
    if (last_is_tool_result) return { text: "Done, I will remind you." };
    if (last_user_text === "remind me to stretch in a minute") {
      assertTrue(tool_names.includes("schedule_task"), tool_names.join());
      return {
        tool_calls: [{
          name: "schedule_task",
          input: { task: "Tell Alice to stretch.", in_seconds: 62 },
        }],
      };
    }
    return undefined;
  });
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-schedules-" });
  try {
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    {
      await using _first = await startAgent({ prosody, llmUrl: llm.url, dataDir });
      await alice.send(BOT, "remind me to stretch in a minute");
      assertEquals(
        (await alice.nextMessage({ from: BOT, withBody: true })).body,
        "Done, I will remind you.",
      );
      await alice.send(BOT, "/schedules");
      const listing = await alice.nextMessage({ from: BOT, withBody: true });
      assertTrue(listing.body?.includes("stretch") === true, listing.body);
    }
    const saved = await Deno.readTextFile(`${dataDir}/schedules.json`);
    assertTrue(saved.includes("Tell Alice to stretch."), "persisted");
    await using _second = await startAgent({ prosody, llmUrl: llm.url, dataDir });
    const reminder = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 90_000 });
    assertEquals(reminder.body, "echo: [Scheduled task] Tell Alice to stretch.");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
