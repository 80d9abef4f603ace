import assert from "node:assert/strict";
import type { XmppAction } from "../xmpp/mod.ts";
import { StreamedReply, streamRepliesFor } from "./streamed_reply.ts";

const TARGET = { to: "alice@localhost/phone", messageType: "chat" as const };

/** A reply with a hand-driven clock and timers; what it sent, as messages and chat states. */
function harness(mode: "paragraphs" | "corrections") {
  const sent: XmppAction[] = [];
  let now = 0;
  let ids = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const reply = new StreamedReply(mode, TARGET, {
    send: (action) => sent.push(action),
    now: () => now,
    setTimer: (run, ms) => {
      timers.set(++ids, { at: now + ms, run });
      return ids;
    },
    clearTimer: (id) => timers.delete(id),
    newId: () => `m${++ids}`,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at <= now) {
        timers.delete(id);
        timer.run();
      }
    }
  };
  const messages = () =>
    sent.flatMap((a) =>
      a.type === "message" ? [{ body: a.body, state: a.chatState, replaces: a.replaces }] : []
    );
  return { reply, sent, advance, messages };
}

Deno.test("StreamedReply paragraphs: each paragraph goes out when complete, active on the last", () => {
  const { reply, messages } = harness("paragraphs");
  reply.text("First.\n\nSec");
  assert.deepEqual(messages(), [{ body: "First.", state: "composing", replaces: undefined }]);
  for (const piece of ["ond.", "\n\n", "```\n", "a\n\n", "b\n", "```\n", "End."]) reply.text(piece);
  const delivered = reply.finish("First.\n\nSecond.\n\n```\na\n\nb\n```\nEnd.");
  assert.deepEqual(messages().map((m) => [m.body, m.state]), [
    ["First.", "composing"],
    ["Second.", "composing"],
    ["```\na\n\nb\n```", "composing"],
    ["End.", "active"],
  ]);
  assert.equal(delivered.text, "First.\n\nSecond.\n\n```\na\n\nb\n```\n\nEnd.");
  assert.equal(delivered.id, "m1");
});

Deno.test("StreamedReply paragraphs: those that complete together go out as one message", () => {
  const { reply, messages } = harness("paragraphs");
  reply.text("One.\n\nTwo.\n\nThree.\n\nFour");
  reply.finish("One.\n\nTwo.\n\nThree.\n\nFour");
  assertEqualsBodies(messages(), ["One.\n\nTwo.\n\nThree.", "Four"]);
});

function assertEqualsBodies(messages: { body: string }[], bodies: string[]) {
  assert.deepEqual(messages.map((m) => m.body), bodies);
}

Deno.test("StreamedReply drops a tool round's short preamble, shows nothing of it", () => {
  const { reply, messages } = harness("paragraphs");
  reply.text("Let me look that up.");
  reply.endRound();
  reply.text("It is sunny.");
  const delivered = reply.finish("It is sunny.");
  assert.deepEqual(messages().map((m) => m.body), ["It is sunny."]);
  assert.equal(delivered.text, "It is sunny.");
});

Deno.test("StreamedReply keeps a tool round's text that had begun to show", () => {
  const { reply, messages } = harness("paragraphs");
  reply.text("Part one.\n\nPart two, then a tool.");
  reply.endRound();
  reply.text("Result.");
  const delivered = reply.finish("Result.");
  assert.deepEqual(messages().map((m) => m.body), [
    "Part one.",
    "Part two, then a tool.",
    "Result.",
  ]);
  assert.equal(delivered.text, "Part one.\n\nPart two, then a tool.\n\nResult.");
});

Deno.test("StreamedReply sends an answer that was not streamed whole", () => {
  const { reply, messages } = harness("paragraphs");
  const delivered = reply.finish("(The language model returned an empty answer.)");
  assert.deepEqual(messages(), [{
    body: "(The language model returned an empty answer.)",
    state: "active",
    replaces: undefined,
  }]);
  assert.equal(delivered.text, "(The language model returned an empty answer.)");
});

Deno.test("StreamedReply corrections: one message grows, corrected at most once a second", () => {
  const { reply, messages, advance } = harness("corrections");
  reply.text("Intro.\n\nA");
  assert.deepEqual(messages(), [{ body: "Intro.\n\nA", state: "composing", replaces: undefined }]);
  reply.text("nd");
  reply.text(" more");
  advance(500);
  assert.equal(messages().length, 1, "no correction within the second");
  advance(500);
  assert.deepEqual(messages()[1], {
    body: "Intro.\n\nAnd more",
    state: "composing",
    replaces: "m1",
  });
  reply.text(" words.");
  const delivered = reply.finish("Intro.\n\nAnd more words.");
  assert.deepEqual(messages().at(-1), {
    body: "Intro.\n\nAnd more words.",
    state: "active",
    replaces: "m1",
  });
  assert.equal(messages().length, 3);
  assert.deepEqual(delivered, { text: "Intro.\n\nAnd more words.", id: "m1" });
});

Deno.test("StreamedReply cut: everything received goes out, and what was shown is returned", () => {
  const { reply, messages } = harness("paragraphs");
  reply.text("Done part.\n\nHalf a sen");
  const delivered = reply.cut();
  assert.deepEqual(messages().map((m) => m.body), ["Done part.", "Half a sen"]);
  assert.equal(delivered?.text, "Done part.\n\nHalf a sen");
  assert.equal(harness("corrections").reply.cut(), undefined, "nothing received, nothing to keep");
});

Deno.test("streamRepliesFor() gives rooms their own setting, off by default", () => {
  const of = streamRepliesFor("paragraphs", new Map([["dev@conference.localhost", "corrections"]]));
  assert.equal(of(TARGET), "paragraphs");
  assert.equal(of({ to: "dev@conference.localhost", messageType: "groupchat" }), "corrections");
  assert.equal(of({ to: "other@conference.localhost", messageType: "groupchat" }), "off");
});

Deno.test("StreamedReply sends nothing before `after` is fulfilled, and nothing if it rejects", async () => {
  const sent: XmppAction[] = [];
  const stored = Promise.withResolvers<void>();
  const reply = new StreamedReply("paragraphs", TARGET, {
    send: (action) => sent.push(action),
    after: stored.promise,
  });
  reply.text("One.\n\nTwo");
  assert.equal(sent.length, 0, "held while the message is being stored");
  stored.resolve();
  await stored.promise;
  assert.deepEqual(sent.map((a) => a.type === "message" ? a.body : a.type), ["One."]);

  const failed: XmppAction[] = [];
  const failing = Promise.withResolvers<void>();
  const other = new StreamedReply("paragraphs", TARGET, {
    send: (action) => failed.push(action),
    after: failing.promise,
  });
  other.text("One.\n\nTwo");
  failing.reject(new Error("Disk full"));
  await failing.promise.catch(() => {});
  other.text(".\n\nThree");
  assert.deepEqual(failed, []);
});
