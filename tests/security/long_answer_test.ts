/**
 * Attack (or accident): an LLM answer far larger than the server's stanza limit. Sent as
 * one stanza it made Prosody close the agent's stream: the person got nothing, and history
 * said the answer was sent. Now it is split into messages that fit, all delivered, in order,
 * on a stream that stays up.
 */
import { assertEquals, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";

const BOT = "bot@localhost";

Deno.test("a 2 MB answer arrives whole, as messages under the server's stanza limit", async () => {
  // Debian's 10 kb/s client limit would take over three minutes to let 2 MB through.
  await using prosody = await startProsody({ disabledModules: ["limits"] });
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  const paragraph = "A long answer, with <markup> & «quotes» and 数字 in it.\n\n";
  const answer = paragraph.repeat(Math.ceil(2_000_000 / paragraph.length)).trimEnd();
  await using llm = await startFakeLlm();
  llm.script(() => ({ text: answer }));
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "tell me everything");
  const parts: string[] = [];
  const isPart = (e: { kind: string }) =>
    e.kind === "message" && (e as HumanMessage).from.startsWith(BOT) &&
    (e as HumanMessage).body !== undefined;
  await eventually("the whole answer", () => {
    parts.splice(
      0,
      parts.length,
      ...alice.events.filter(isPart).map((e) => (e as HumanMessage).body!),
    );
    return parts.join("\n\n").length >= answer.length;
  }, 60_000);
  assertEquals(parts.join("\n\n"), answer);
  assertTrue(parts.length >= 2_000_000 / 65_536, `${parts.length} parts`);
  const sizes = alice.events.filter(isPart).map((e) =>
    new TextEncoder().encode((e as HumanMessage).xml).length
  );
  assertTrue(Math.max(...sizes) <= 65_536, `largest stanza ${Math.max(...sizes)} bytes`);
  const lines = agent.lines.events;
  assertEquals(lines.filter((line) => /Disconnected|Stream error/.test(line)), []);
  const history = await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`);
  const stored = history.trim().split("\n").map((line) => JSON.parse(line))
    .filter((entry) => entry.role === "assistant");
  assertEquals(stored.length, 1);
  assertEquals(stored[0].content, answer);
});
