/**
 * Attack (or accident): a huge message. It was stored and given to the LLM, and then sent
 * again with every later turn of the session, costing its full size each time and pushing the
 * rest of the conversation out of the model's context. What stops it: a message longer than
 * `agent.max_message_chars` (16,000 by default), one-to-one or in a room, is not read. The
 * sender is told how long it was, what the limit is and to send a file instead; the history
 * keeps a short note; the log says how long it was and nothing of what it said. Expected:
 * for a 200,000-character message, that answer, no LLM request, later requests without it
 * (and with the note), no trace of it in the log or the history; a long text sent as an
 * attachment still reaches the LLM.
 */
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type Human, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";

const BOT = "bot@localhost";
const ROOM = "dev@conference.localhost";
const MARKER = "huge-message-3c9d";
const HUGE = `${MARKER} `.repeat(12_000).slice(0, 200_000);
const ANSWER = "Your message was not read: it is 200,000 characters long, and messages can have " +
  "at most 16,000. Please send long text as a file (an attachment), or in shorter messages.";
const NOTE = "a message of 200,000 characters that was not read (over the 16,000-character limit)";
const FILE_TEXT = "Long notes, line after line.\n".repeat(2_000);

function reply(human: Human, from: string, text: string) {
  return human.waitFor((e): e is HumanMessage =>
    e.kind === "message" && e.from.startsWith(from) && (e.body ?? "").includes(text)
  );
}

Deno.test("security: a message over the size limit is answered, never given to the LLM or logged", async () => {
  // Debian's 10 kb/s client limit would take 20 s to let 200 KB through.
  await using prosody = await startProsody({ disabledModules: ["limits"] });
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  assertEquals(HUGE.length, 200_000);
  const files = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(FILE_TEXT, { headers: { "content-type": "text/plain; charset=utf-8" } }),
  );
  await using llm = await startFakeLlm({ handler: ({ index }) => ({ text: `answer ${index}` }) });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[[rooms]]
jid = "${ROOM}"
nick = "bot"

[attachments]
hosts = ["127.0.0.1"]
allow_private_hosts = true
`,
  });
  try {
    await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.joinRoom(ROOM, "alice");

    await alice.send(BOT, HUGE);
    const told = await reply(alice, BOT, "not read");
    assertEquals(told.body, ANSWER);
    assertEquals(llm.chat_count, 0, "no LLM request for it");
    await alice.send(BOT, "did you get it?");
    await reply(alice, BOT, "answer 0");
    const later = JSON.stringify(llm.requests.at(-1)?.body);
    assertTrue(!later.includes(MARKER), "a later turn does not carry it");
    assertIncludes(later, NOTE);

    await alice.send(ROOM, `bot: ${HUGE}`, { type: "groupchat" });
    const toldInRoom = await reply(alice, `${ROOM}/bot`, "not read");
    assertEquals(toldInRoom.body, `alice: ${ANSWER.replace("200,000", "200,005")}`);
    await alice.send(ROOM, HUGE, { type: "groupchat" });
    await alice.send(ROOM, "bot: and now?", { type: "groupchat" });
    await reply(alice, `${ROOM}/bot`, "answer 1");
    const inRoom = JSON.stringify(llm.requests.at(-1)?.body);
    assertTrue(!inRoom.includes(MARKER), "a later room turn does not carry either");
    assertIncludes(inRoom, 'From \\"alice\\", a message of 200,005 characters that was not read');
    assertIncludes(inRoom, `From \\"alice\\", ${NOTE}`);
    assertEquals(
      alice.events.filter((e) => e.kind === "message" && (e.body ?? "").includes("not read"))
        .length,
      2,
      "a long room message that does not address the agent gets no answer",
    );

    // A file is not a message: its text reaches the LLM whatever its length.
    const url = `http://127.0.0.1:${files.addr.port}/notes.txt`;
    await alice.sendRaw(
      `<message to="${BOT}" type="chat"><body>${url}</body>` +
        `<x xmlns="jabber:x:oob"><url>${url}</url></x></message>`,
    );
    await reply(alice, BOT, "answer 2");
    assertIncludes(JSON.stringify(llm.requests.at(-1)?.body), "Long notes, line after line.");
    assertTrue(FILE_TEXT.length > 16_000);

    const log = agent.lines.events.join("\n");
    assertTrue(!log.includes(MARKER), "the log holds nothing of the message");
    assertIncludes(log, "Handled chat from alice@localhost: too long (200000 characters");
    for (const folder of ["alice@localhost", ROOM]) {
      const history = await Deno.readTextFile(`${agent.dataDir}/${folder}/history.jsonl`);
      assertTrue(!history.includes(MARKER), `${folder}'s history holds a note, not the message`);
      assertIncludes(history, '"oversized":{"chars":');
    }
  } finally {
    await files.shutdown();
  }
});
