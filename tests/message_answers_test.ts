/**
 * What the agent's answers look like in a client, end to end (a real Prosody, slixmpp as the
 * person, the agent as a child process, a fake LLM on the wire): the `react` tool sends
 * XEP-0444 reactions instead of or besides text, Markdown arrives as XEP-0393 styling, and a
 * long answer comes as several messages cut between paragraphs under
 * `agent.max_answer_chars`.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanEvent, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

function fromBot(predicate: (message: HumanMessage) => boolean) {
  return (event: HumanEvent): event is HumanMessage =>
    event.kind === "message" && event.from.startsWith(`${BOT}/`) && predicate(event);
}

async function history(dataDir: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`);
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("reactions: the LLM reacts with an emoji instead of, or besides, a text answer", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  // The script: "react <emoji> [id]" asks for a reaction; "+text" also wants an answer.
  let wantsText = false;
  llm.script(({ last_user_text, last_is_tool_result, tool_names }) => {
    if (!tool_names.includes("react")) return { text: "no react tool" };
    if (last_is_tool_result) return { text: wantsText ? "You're welcome" : "" };
    wantsText = last_user_text.includes("+text");
    const [verb, emoji, messageId] = last_user_text.split(" ").filter((w) => !w.startsWith("+"));
    if (verb !== "react") return undefined;
    const input = messageId === undefined ? { emoji } : { emoji, message_id: messageId };
    return { tool_calls: [{ name: "react", input }] };
  });

  await t.step("a reaction alone: the message gets 👍 and no text comes", async () => {
    const since = alice.events.length;
    const id = await alice.send(BOT, "react 👍");
    const reaction = await alice.waitFor(fromBot((m) => m.reactions !== undefined));
    assertEquals(reaction.reactions, { id, emojis: ["👍"] });
    // "typing…" ends without a message.
    await alice.waitFor(fromBot((m) => m.chatState === "active" && m.body === undefined));
    await agent.waitForLog(/Handled chat from alice@localhost: answered with a reaction/);
    assertEquals(alice.events.slice(since).filter(fromBot((m) => m.body !== undefined)), []);
  });

  await t.step("a reaction and an answer", async () => {
    const id = await alice.send(BOT, "react ❤️ +text");
    const reaction = await alice.waitFor(fromBot((m) => m.reactions !== undefined));
    assertEquals(reaction.reactions, { id, emojis: ["❤️"] });
    const text = await alice.waitFor(fromBot((m) => m.body !== undefined));
    assertEquals(text.body, "You're welcome");
    // The first reaction is part of the conversation the LLM sees.
    const first = llm.requests.find((r) => JSON.stringify(r.body ?? "").includes("react ❤️"));
    const messages = (first?.body as { messages: { role: string; content: unknown }[] }).messages;
    assertEquals(messages.slice(0, 2), [
      { role: "user", content: "react 👍" },
      { role: "assistant", content: '[You reacted 👍 to the message "react 👍"]' },
    ]);
  });

  await t.step("a reaction to an earlier message named by its id", async () => {
    const earlier = alice.events.find(fromBot((m) => m.body === "You're welcome"));
    assertTrue(earlier?.id !== undefined);
    await alice.send(BOT, `react 🎉 ${earlier.id}`);
    const reaction = await alice.waitFor(fromBot((m) => m.reactions !== undefined));
    assertEquals(reaction.reactions, { id: earlier.id, emojis: ["🎉"] });
  });

  await t.step("an unknown message id or a word is refused, and the LLM is told why", async () => {
    llm.script(({ last_user_text, last_is_tool_result, tool_results }) => {
      if (last_is_tool_result) return { text: `refused: ${tool_results.join(" ")}` };
      const [, emoji, messageId] = last_user_text.split(" ");
      const input = messageId === undefined ? { emoji } : { emoji, message_id: messageId };
      return { tool_calls: [{ name: "react", input }] };
    });
    const since = alice.events.length;
    await alice.send(BOT, "react 👍 made-up-id");
    const refused = await alice.waitFor(fromBot((m) => m.body?.startsWith("refused") === true));
    assertIncludes(refused.body ?? "", 'No message "made-up-id" in this conversation');
    await alice.send(BOT, "react hello");
    const word = await alice.waitFor(fromBot((m) => m.body?.startsWith("refused") === true));
    assertIncludes(word.body ?? "", '"hello" is not an emoji');
    assertEquals(alice.events.slice(since).filter(fromBot((m) => m.reactions !== undefined)), []);
    llm.script(undefined);
  });
});

Deno.test("styling: Markdown arrives as XEP-0393 text, a long answer split between paragraphs", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  const paragraphs = Array.from(
    { length: 6 },
    (_, i) => `Paragraph ${i + 1} says **something** worth reading, ${"and more ".repeat(10)}end.`,
  );
  const markdown = [
    "## Plan",
    "**Step one**: read [the guide](https://example.org/guide).",
    "| Tool | Use |\n|---|---|\n| deno | run it |",
    "```ts\nconst x = 2 ** 3;\n```",
    ...paragraphs,
  ].join("\n\n");
  await using llm = await startFakeLlm({ handler: () => ({ text: markdown }) });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    // The whole-answer path: split under max_answer_chars, not streamed paragraph by paragraph.
    agentToml: 'max_answer_chars = 300\nstream_replies = "off"',
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "plan please");
  const last = await alice.waitFor(
    fromBot((m) => m.body !== undefined && m.chatState === "active"),
  );
  const parts = alice.events.filter(fromBot((m) => m.body !== undefined)).map((m) => m.body!);
  assertTrue(parts.length >= 3, `${parts.length} messages`);
  assertEquals(parts.at(-1), last.body);
  assertTrue(
    parts[0]!.startsWith(
      "*Plan*\n\n*Step one*: read the guide (https://example.org/guide).\n\n• deno: run it\n\n" +
        "```ts\nconst x = 2 ** 3;\n```",
    ),
    parts[0],
  );
  assertTrue(parts.every((part) => [...part].length <= 300), parts.join("\n---\n"));
  // Cut between paragraphs only: every paragraph whole, in order, styled.
  const styled = paragraphs.map((p) => p.replace("**something**", "*something*"));
  assertEquals(parts.join("\n\n").split("\n\n").slice(4), styled);
  // The history keeps the LLM's own words, once.
  const answers = (await history(agent.dataDir)).filter((line) => line.role === "assistant");
  assertEquals(answers.map((line) => line.content), [markdown]);
});
