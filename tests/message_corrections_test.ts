/**
 * Corrections (XEP-0308) and replies (XEP-0461), end to end: a real Prosody, slixmpp with its
 * correction and reply plugins as the person, the agent as a child process, a fake LLM on the
 * wire.
 */
import {
  assertEquals,
  assertExcludes,
  assertIncludes,
  assertTrue,
  eventually,
} from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanEvent, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

interface AnthropicBody {
  messages: { role: string; content: unknown }[];
}

function answer(text: string) {
  return (event: HumanEvent): event is HumanMessage =>
    event.kind === "message" && event.from.startsWith(`${BOT}/`) &&
    // A reply's text, without the quote put in front for clients that do not know replies.
    (event.bodyWithoutFallback ?? event.body) === text;
}

async function history(dataDir: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`);
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

/** Waits until the fake LLM has received `count` chat requests. */
async function llmWaits(llm: { chat_count: number }, count: number): Promise<void> {
  await eventually(`${count} LLM requests`, () => llm.chat_count >= count);
}

function lastRequest(llm: { requests: { body: unknown }[] }): AnthropicBody {
  return llm.requests.at(-1)?.body as AnthropicBody;
}

Deno.test("corrections and replies: what the person corrected or quoted is what gets answered", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  await t.step("a correction of an answered message corrects the agent's answer", async () => {
    const id = await alice.send(BOT, "what is 2+2");
    const first = await alice.waitFor(answer("echo: what is 2+2"));
    await alice.send(BOT, "what is 3+3", { replace: id });
    const corrected = await alice.waitFor(answer("echo: what is 3+3"));
    assertEquals(corrected.replace, first.id, "sent as a correction of the earlier answer");
    // The LLM sees the conversation as corrected: the original and its answer give way.
    assertEquals(lastRequest(llm).messages, [{ role: "user", content: "what is 3+3" }]);
    const lines = await history(agent.dataDir);
    const messages = lines.filter((line) => line.type === "message");
    assertEquals(messages.map((m) => [m.role, m.content, m.replaces]), [
      ["user", "what is 2+2", undefined],
      ["assistant", "echo: what is 2+2", undefined],
      ["user", "what is 3+3", id],
      ["assistant", "echo: what is 3+3", first.id],
    ]);
  });

  await t.step(
    "a correction of a message still waiting: only the corrected text is answered",
    async () => {
      const gate = Promise.withResolvers<void>();
      llm.script(async ({ last_user_text }) => {
        if (last_user_text === "busy") await gate.promise;
        return { text: `echo: ${last_user_text}` };
      });
      const calls = llm.chat_count;
      const busy = await alice.send(BOT, "busy");
      const typo = await alice.send(BOT, "typo mesage");
      const fix = await alice.send(BOT, "typo message", { replace: typo, receipt: true });
      // Both wait in the agent's queue behind "busy", whose answer is held back: its receipt
      // says the correction is stored and queued.
      await llmWaits(llm, calls + 1);
      await alice.waitFor((e) => e.kind === "message" && e.receipt === fix);
      gate.resolve();
      const busyAnswer = await alice.waitFor(answer("echo: busy"));
      await alice.waitFor(answer("echo: typo message"));
      assertEquals(llm.chat_count - calls, 2, "no LLM call for the typo");
      assertEquals(alice.events.filter(answer("echo: typo mesage")).length, 0);
      // Answered after the person wrote again: the answer says which message it answers.
      assertEquals(busyAnswer.reply, { to: "alice@localhost", id: busy });
      assertEquals(busyAnswer.body, "echo: busy", "no quote put in front");
      const lines = await history(agent.dataDir);
      const original = lines.find((line) => line.msg_id === typo);
      assertEquals([original?.content, typeof original?.replaced_by], ["typo mesage", "string"]);
      assertExcludes(JSON.stringify(lastRequest(llm).messages), "typo mesage");
      llm.script(undefined);
    },
  );

  await t.step(
    "a correction of the agent's message, or of an unknown one, is a new message",
    async () => {
      await alice.send(BOT, "tell me");
      const told = await alice.waitFor(answer("echo: tell me"));
      await alice.send(BOT, "not mine", { replace: told.id ?? "" });
      const fresh = await alice.waitFor(answer("echo: not mine"));
      assertEquals(fresh.replace, undefined);
      await alice.send(BOT, "unknown", { replace: "no-such-id" });
      const other = await alice.waitFor(answer("echo: unknown"));
      assertEquals(other.replace, undefined);
      const request = JSON.stringify(lastRequest(llm).messages);
      assertIncludes(request, "echo: tell me", "nothing was taken for corrected");
    },
  );

  await t.step(
    "a reply brings the quoted message, and its fallback is not taken for the text",
    async () => {
      const cat = await alice.send(BOT, "my cat is called Tom");
      await alice.waitFor(answer("echo: my cat is called Tom"));
      await alice.send(BOT, "how old is he?", {
        reply: { to: BOT, id: cat, quote: "my cat is called Tom" },
      });
      const reply = await alice.waitFor((e): e is HumanMessage =>
        e.kind === "message" && (e.body ?? "").startsWith("echo: ") &&
        (e.body ?? "").includes("how old is he?")
      );
      assertEquals(reply.body, 'echo: [In reply to: "my cat is called Tom"]\nhow old is he?');
      const lines = await history(agent.dataDir);
      const stored = lines.findLast((line) => line.role === "user");
      assertEquals(stored?.content, "how old is he?");
      assertEquals(stored?.reply_to, { id: cat, text: "my cat is called Tom" });
    },
  );

  await t.step("a reply to a message of an archived session finds it there", async () => {
    const dog = await alice.send(BOT, "my dog is called Rex");
    await alice.waitFor(answer("echo: my dog is called Rex"));
    await alice.send(BOT, "/new");
    await alice.waitFor((e): e is HumanMessage =>
      e.kind === "message" && e.body !== undefined &&
      !e.body.startsWith("echo:")
    );
    // No fallback quote: the text can only come from the archive.
    await alice.send(BOT, "and his age?", { reply: { to: BOT, id: dog } });
    const reply = await alice.waitFor((e): e is HumanMessage =>
      e.kind === "message" && (e.body ?? "").includes("and his age?")
    );
    assertEquals(reply.body, 'echo: [In reply to: "my dog is called Rex"]\nand his age?');
    // An unknown id: the fallback quote stands for the message.
    await alice.send(BOT, "which one?", {
      reply: { to: BOT, id: "gone", quote: "an old message" },
    });
    const fallback = await alice.waitFor((e): e is HumanMessage =>
      e.kind === "message" && (e.body ?? "").includes("which one?")
    );
    assertEquals(fallback.body, 'echo: [In reply to: "an old message"]\nwhich one?');
    assertTrue(lastRequest(llm).messages.length >= 1);
  });
});
