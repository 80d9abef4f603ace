/**
 * Receipts (XEP-0184) and chat markers (XEP-0333), end to end: a real Prosody, slixmpp with
 * its receipt and marker plugins as the person, the agent as a child process, a fake LLM on
 * the wire. A message is acknowledged once it is stored, before the LLM answers, with its
 * receipt and its `received` marker in one stanza; `displayed` goes with `composing` as the
 * turn starts; the answer is markable; a stranger gets nothing.
 */
import { assertEquals, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanEvent, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { MESSAGE_FEATURES } from "../src/xmpp/mod.ts";

const BOT = "bot@localhost";

function fromBot(predicate: (message: HumanMessage) => boolean) {
  return (event: HumanEvent): event is HumanMessage =>
    event.kind === "message" && event.from.startsWith(`${BOT}/`) && predicate(event);
}

Deno.test("receipts and markers: acknowledged when stored, displayed when work starts", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("mallory", "mallorypass");
  await using llm = await startFakeLlm();
  await using _agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  await t.step(
    "answered at once: the receipt and displayed ride with composing, one stanza before the answer",
    async () => {
      const gate = Promise.withResolvers<void>();
      llm.script(async ({ last_user_text }) => {
        await gate.promise;
        return { text: `echo: ${last_user_text}` };
      });
      const id = await alice.send(BOT, "hello", { receipt: true, markable: true });
      const composing = await alice.waitFor(fromBot((m) => m.chatState === "composing"));
      assertEquals(composing.receipt, id, "the receipt travels with composing");
      assertEquals(composing.markers, { displayed: id }, "displayed (it implies received)");
      // The LLM has not answered yet: the acknowledgement did not wait for it.
      assertEquals(alice.events.filter(fromBot((m) => m.body !== undefined)).length, 0);
      gate.resolve();
      const answer = await alice.waitFor(fromBot((m) => m.body !== undefined));
      assertEquals(answer.body, "echo: hello");
      assertTrue(answer.markable, "the answer is markable");
      const acks = alice.events.filter(
        fromBot((m) => m.receipt !== undefined || m.markers !== undefined),
      );
      assertEquals(acks.length, 1, "no stanza of its own for the acknowledgement");
      llm.script(undefined);
    },
  );

  await t.step(
    "waiting behind another turn: acknowledged on its own at once, displayed when its turn starts",
    async () => {
      const since = alice.events.length;
      const gate = Promise.withResolvers<void>();
      llm.script(async ({ last_user_text }) => {
        if (last_user_text === "first") await gate.promise;
        return { text: `echo: ${last_user_text}` };
      });
      await alice.send(BOT, "first");
      await alice.waitFor(fromBot((m) => m.chatState === "composing"));
      const id = await alice.send(BOT, "second", { receipt: true, markable: true });
      const ack = await alice.waitFor(fromBot((m) => m.receipt === id));
      assertEquals(ack.markers, { received: id });
      assertEquals(ack.chatState, undefined, "an acknowledgement of its own");
      assertEquals(
        alice.events.slice(since).filter(fromBot((m) => m.body !== undefined)).length,
        0,
        "before any answer",
      );
      gate.resolve();
      await alice.waitFor(fromBot((m) => m.markers?.displayed === id));
      await alice.waitFor(fromBot((m) => m.body === "echo: second"));
      llm.script(undefined);
    },
  );

  await t.step("a message with neither request gets no receipt or marker", async () => {
    const since = alice.events.length;
    await alice.send(BOT, "plain");
    await alice.waitFor(fromBot((m) => m.body === "echo: plain"));
    const marked = alice.events.slice(since).filter(
      fromBot((m) => m.receipt !== undefined || m.markers !== undefined),
    );
    assertEquals(marked, []);
  });

  await t.step("a command's message is marked displayed too", async () => {
    const id = await alice.send(BOT, "/ping", { markable: true, receipt: true });
    const displayed = await alice.waitFor(fromBot((m) => m.markers?.displayed === id));
    assertEquals(displayed.receipt, id, "the receipt with it");
    await alice.waitFor(fromBot((m) => m.body !== undefined && m.body.includes("pong")));
  });

  await t.step("a stranger asking for a receipt gets nothing at all", async () => {
    await using mallory = await connectHuman(prosody, { user: "mallory", password: "mallorypass" });
    await mallory.send(BOT, "hello?", { receipt: true, markable: true });
    await mallory.expectSilence(BOT, 1500);
  });

  await t.step("disco#info lists the message features", async () => {
    const answer = alice.events.find(fromBot((m) => m.body !== undefined));
    const info = await alice.iq(answer?.from ?? BOT, "disco_info");
    for (const feature of MESSAGE_FEATURES) {
      assertTrue(info.features?.includes(feature), `${feature} in ${info.features}`);
    }
  });
});
