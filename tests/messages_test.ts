/**
 * What a person's messages become, end to end (a real Prosody, slixmpp as the human, the agent
 * as a child process, a fake LLM on the wire): a message the server delivers again is answered
 * and stored once, an encrypted message is not taken for the person's words, indentation is
 * kept, and each answer is one log line without content.
 */
import { assertEquals, assertIncludes, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

interface AnthropicBody {
  messages: { role: string; content: unknown }[];
}

async function historyLines(dataDir: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`).catch(() => "");
  return text.trim() === "" ? [] : text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("a message delivered again after the agent restarts is answered once and stored once", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-redelivery-" });
  try {
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    // What the server stamps; the human gives it, so that both deliveries carry the same one.
    const message = (extra = "") =>
      `<message to="${BOT}" type="chat" id="dup-1"><body>hello once</body>` +
      `<stanza-id xmlns="urn:xmpp:sid:0" by="${BOT}" id="sid-1"/>${extra}</message>`;
    {
      await using _first = await startAgent({ prosody, llmUrl: llm.url, dataDir });
      await alice.sendRaw(message());
      const reply = await alice.nextMessage({ from: BOT, withBody: true });
      assertEquals(reply.body, "echo: hello once");
    }
    await using agent = await startAgent({ prosody, llmUrl: llm.url, dataDir });
    // Offline storage (or a hibernated stream's unacknowledged stanza) delivers it again,
    // same id and stanza-id, another <delay/>.
    const delay = `<delay xmlns="urn:xmpp:delay" from="localhost" stamp="${
      new Date().toISOString()
    }"/>`;
    await alice.sendRaw(message(delay));
    await agent.waitForLog(/Dropped a message from alice@localhost delivered again/);
    await alice.expectSilence(BOT, 1000, { withBody: true });
    assertEquals(llm.chat_count, 1, "no second LLM call");

    await alice.send(BOT, "and now?");
    assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: and now?");
    const body = llm.requests.at(-1)?.body as AnthropicBody;
    assertEquals(body.messages.map((m) => [m.role, m.content]), [
      ["user", "hello once"],
      ["assistant", "echo: hello once"],
      ["user", "and now?"],
    ]);
    await eventually(
      "the last answer stored",
      async () => (await historyLines(dataDir)).length === 5,
    );
    const users = (await historyLines(dataDir)).filter((line) => line.role === "user");
    // The second one carries whatever stanza-id the server's archive gave it.
    assertEquals(users.map((line) => [line.content, line.msg_id, line.stanza_id]), [
      ["hello once", "dup-1", "sid-1"],
      ["and now?", users[1]?.msg_id, users[1]?.stanza_id],
    ]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("messages: encrypted ones get a notice, indentation is kept, one log line per answer", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const fallback =
    "I sent you an OMEMO encrypted message but your client doesn't seem to support that.";
  const omemo = (id: string) =>
    `<message to="${BOT}" type="chat" id="${id}"><body>${fallback}</body>` +
    `<encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1234">` +
    `<key rid="5678">MwohBZ2F1c3NpYW4=</key><iv>aXYxMjM0NTY3ODkw</iv></header>` +
    `<payload>cGF5bG9hZA==</payload></encrypted>` +
    `<encryption xmlns="urn:xmpp:eme:0" namespace="eu.siacs.conversations.axolotl" name="OMEMO"/>` +
    `<store xmlns="urn:xmpp:hints"/></message>`;

  await t.step("an OMEMO message gets one notice, no LLM call and no history entry", async () => {
    await alice.sendRaw(omemo("omemo-1"));
    const notice = await alice.nextMessage({ from: BOT, withBody: true });
    assertIncludes(notice.body ?? "", "cannot read encrypted messages");
    assertIncludes(notice.body ?? "", "plain messages work");
    await alice.sendRaw(omemo("omemo-2"));
    await alice.expectSilence(BOT, 1500, { withBody: true });
    assertEquals(llm.chat_count, 0);
    assertEquals(await historyLines(agent.dataDir), []);
    await agent.waitForLog(/Handled chat from alice@localhost: encrypted \(OMEMO\), already told/);
  });

  await t.step(
    "indentation reaches the LLM and the history; the trailing newline does not",
    async () => {
      const code = "    def f():\n        return 1";
      await alice.send(BOT, `${code}\n`);
      await alice.nextMessage({ from: BOT, withBody: true });
      const body = llm.requests.at(-1)?.body as AnthropicBody;
      assertEquals(body.messages, [{ role: "user", content: code }], "nothing of the OMEMO ones");
      const lines = await historyLines(agent.dataDir);
      assertEquals(lines[1]?.content, code);
      assertTrue(!JSON.stringify(lines).includes(fallback), "the fallback body is not stored");
    },
  );

  await t.step(
    "each answer is one info line: conversation, kind, latency, tokens, no content",
    async () => {
      const line = await agent.waitForLog(
        /INFO .*Handled chat from alice@localhost: answered by the LLM \(\d+ ms, 1 LLM call, \d+ in \/ \d+ out tokens\)/,
      );
      assertTrue(!line.includes("def f"), line);
      await alice.send(BOT, "/ping");
      await alice.nextMessage({ from: BOT, withBody: true });
      await agent.waitForLog(/INFO .*Handled chat from alice@localhost: command \/ping/);
      const info = agent.lines.events.filter((l) => / INFO /.test(l)).join("\n");
      assertTrue(!info.includes("return 1") && !info.includes(fallback), info);
    },
  );
});
