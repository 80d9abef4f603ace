/**
 * Receipts, markers, corrections, replies and reactions on both servers people deploy, each
 * with Debian's default modules (stream management, MAM stamping stanza-ids, carbons…): what
 * a client sees of each, with slixmpp as the person.
 */
import { assertEquals, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanEvent, type HumanMessage } from "./support/human.ts";
import { TEST_SERVERS } from "./support/test_servers.ts";
import { registerFresh } from "./support/xmpp_server.ts";

for (const server of TEST_SERVERS) {
  Deno.test(`[${server.name}] receipts, markers, a correction, a reply and a reaction`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const alice = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    llm.script(({ last_user_text, last_is_tool_result }) => {
      if (last_is_tool_result) return { text: "" };
      if (last_user_text === "thanks") {
        return { tool_calls: [{ name: "react", input: { emoji: "👍" } }] };
      }
      return undefined;
    });
    await using _agent = await startAgent({
      prosody: xmpp,
      llmUrl: llm.url,
      user: bot.user,
      password: bot.password,
      allowedJids: [alice.jid],
    });
    await using human = await connectHuman(xmpp, alice);
    const fromBot =
      (predicate: (message: HumanMessage) => boolean) =>
      (event: HumanEvent): event is HumanMessage =>
        event.kind === "message" && event.from.startsWith(`${bot.jid}/`) && predicate(event);

    const id = await human.send(bot.jid, "what is 2+2", { receipt: true, markable: true });
    // Answered at once: the receipt and `displayed` ride with `composing`.
    const composing = await human.waitFor(fromBot((m) => m.chatState === "composing"));
    assertEquals(composing.receipt, id);
    assertEquals(composing.markers, { displayed: id });
    const first = await human.waitFor(fromBot((m) => m.body === "echo: what is 2+2"));
    assertTrue(first.markable);

    await human.send(bot.jid, "what is 3+3", { replace: id });
    const corrected = await human.waitFor(fromBot((m) => m.body === "echo: what is 3+3"));
    assertEquals(corrected.replace, first.id);

    await human.send(bot.jid, "and twice that?", {
      reply: { to: bot.jid, id: first.id ?? "" },
    });
    const reply = await human.waitFor(fromBot((m) => (m.body ?? "").includes("twice that")));
    // The quoted answer as corrected, found in the history.
    assertEquals(reply.body, 'echo: [In reply to: "echo: what is 3+3"]\nand twice that?');

    const thanks = await human.send(bot.jid, "thanks");
    const reaction = await human.waitFor(fromBot((m) => m.reactions !== undefined));
    assertEquals(reaction.reactions, { id: thanks, emojis: ["👍"] });
  });
}
