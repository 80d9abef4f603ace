/**
 * Accident: the agent is killed in the middle of writing a long line (Linux cuts a write of
 * several pages short at a page when the process is killed), or the disk fills up under it:
 * the start of a line is left at the end of the inbox or of the delivery ledger. The next
 * run's first line there used to be glued to it and skipped with it at the start after: a
 * delivery answered 202 by that run and still in the inbox was lost at the next kill, a done
 * mark lost sent an answer again at every start, an id lost from the ledger let a retry be
 * delivered twice. The next line now starts a line of its own.
 */
import { assertEquals, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman } from "../support/human.ts";
import { freePort } from "../support/loopback.ts";
import { startProsody } from "../support/prosody.ts";
import { registerFresh } from "../support/xmpp_server.ts";
import { signWebhook } from "../../src/webhooks/mod.ts";
import {
  bodies,
  fill,
  pending,
  post,
  run,
  SECRET,
  signed,
  webhookAgent,
} from "./_killed_webhooks.ts";

Deno.test("a line torn by a kill takes nothing after it with it: no delivery lost from the inbox, none accepted twice", async () => {
  await using xmpp = await startProsody();
  const bot = await registerFresh(xmpp, "bot");
  const person = await registerFresh(xmpp, "alice");
  await using llm = await startFakeLlm();
  const port = freePort();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-torn-hooks-" });
  const agentOptions = webhookAgent({
    xmpp,
    bot,
    person,
    llmUrl: llm.url,
    dataDir,
    port,
    routes: [
      { path: "/hooks/deploy", mode: "notify", extra: 'template = "Delivery {{n}}"\n' },
      { path: "/hooks/ci", mode: "agent" },
    ],
  });
  const hooks = `http://127.0.0.1:${port}/hooks`;
  const first = await signed(`${hooks}/deploy`, "torn-1", 1);
  const second = await signed(`${hooks}/deploy`, "torn-2", 2);
  const third = await signed(`${hooks}/ci`, "torn-3", 3);
  // What a kill in the middle of writing a long line leaves (Linux cuts a write of several
  // pages short at a page when the process is killed; a full disk does too): the start of a
  // line, without its end. The next line written used to be glued to it, and skipped with it
  // at the next start.
  const tear = (file: string) =>
    Deno.writeTextFile(`${dataDir}/${file}`, '{"n":7,"at":"2026-12-01T', { append: true });
  const done = (what: string) =>
    eventually(`${what} marked done`, async () => await pending(dataDir) === 0);
  try {
    await using alice = await connectHuman(xmpp, person);
    await using a = await startAgent(agentOptions);
    await a.waitForLog(/Listening for webhooks/);
    assertEquals(await post(first), 202);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await done("the first delivery");
    await a.kill();
    await tear("webhooks/deliveries.jsonl");

    // The next run delivers the second delivery: its id was lost from the ledger, and its
    // retry delivered again. Then it is killed while the LLM answers the third.
    llm.setDelay(60_000);
    await using b = await startAgent(agentOptions);
    await b.waitForLog(/Listening for webhooks/);
    assertEquals(await post(second), 202);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await done("the second delivery");
    const asked = llm.chat_count;
    assertEquals(await post(third), 202);
    await eventually("the LLM asked", () => llm.chat_count > asked);
    await b.kill();
    await tear("inbox.jsonl");

    // The third run answers the third delivery, and marks it done: that mark was lost, and
    // the answer sent again at every start.
    llm.setDelay(0);
    await using c = await startAgent(agentOptions);
    await c.waitForLog(/Listening for webhooks/);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await done("the third delivery (else it is sent again at each start)");
    await c.kill();

    await using d = await startAgent(agentOptions);
    await d.waitForLog(/Listening for webhooks/);
    for (const delivery of [first, second, third]) {
      assertEquals(await post(delivery), 200, `a retry of ${delivery.body} is a duplicate`);
    }
    await alice.expectSilence(bot.jid, 500, { withBody: true });
    assertEquals(bodies(alice.events, bot.jid), ["Delivery 1", "Delivery 2", "Delivery 3"]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a delivery refused on a full disk leaves a torn line that takes nothing with it: the next one accepted survives a kill", async () => {
  await using xmpp = await startProsody();
  const bot = await registerFresh(xmpp, "bot");
  const person = await registerFresh(xmpp, "alice");
  await using llm = await startFakeLlm();
  const port = freePort();
  // A small file system of its own, as a full disk (mounting needs root, as on CI).
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-full-hooks-" });
  await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dataDir]);
  const agentOptions = webhookAgent({
    xmpp,
    bot,
    person,
    llmUrl: llm.url,
    dataDir,
    port,
    routes: [{ path: "/hooks/ci", mode: "agent" }],
  });
  const url = `http://127.0.0.1:${port}/hooks/ci`;
  try {
    await using alice = await connectHuman(xmpp, person);
    await using a = await startAgent(agentOptions);
    await a.waitForLog(/Listening for webhooks/);
    assertEquals(await post(await signed(url, "full-1", 1)), 202);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await eventually("the first delivery done", async () => await pending(dataDir) === 0);

    // On a full disk, a delivery whose record is longer than what is left of the inbox's
    // last page is written in part, and refused.
    await fill(`${dataDir}/filler`);
    const big = JSON.stringify({ n: 0, log: "x".repeat(20_000) });
    const refused = await post({
      url,
      body: big,
      headers: {
        ...await signWebhook("github", SECRET, big, { deliveryId: "full-0" }),
        "Content-Type": "application/json",
      },
    });
    assertEquals(refused, 503, "the sender is told to retry");
    const inbox = await Deno.readTextFile(`${dataDir}/inbox.jsonl`);
    assertTrue(!inbox.endsWith("\n"), "the record was written in part");

    // Space back: the next delivery is accepted, and the process killed while the LLM
    // answers it. Its record used to be glued to the torn one, and lost with it.
    await Deno.remove(`${dataDir}/filler`);
    llm.setDelay(60_000);
    const asked = llm.chat_count;
    assertEquals(await post(await signed(url, "full-2", 2)), 202);
    await eventually("the LLM asked", () => llm.chat_count > asked);
    await a.kill();

    llm.setDelay(0);
    await using _b = await startAgent(agentOptions);
    const answer = await alice.nextMessage({ from: bot.jid, withBody: true, timeoutMs: 15_000 });
    assertEquals(bodies([answer], bot.jid), ["Delivery 2"]);
  } finally {
    await run("umount", ["-l", dataDir]).catch(() => {});
    await Deno.remove(dataDir, { recursive: true });
  }
});
