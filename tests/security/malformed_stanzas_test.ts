/**
 * Attack: a hostile server, or a man in the middle of a plaintext link, sends what no
 * well-behaved server relays — XML that cannot be parsed, restricted XML (RFC 6120 §11.1),
 * stanzas with impossible addresses. Each of these used to end the agent's process. Now a
 * bad stanza is dropped and logged, a broken stream is closed and reconnected, the process
 * stays up and answers the next genuine message, and stream management still counts every
 * stanza the server sent.
 */
import { assertEquals, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { startRogueServer } from "../support/rogue_server.ts";

const GENUINE = "<message from='alice@localhost/phone' to='bot@localhost' type='chat' " +
  "id='genuine'><body>are you alive?</body></message>";

const BREAKS_THE_STREAM: Record<string, string> = {
  "an unknown entity in an attribute (&nbsp;)":
    "<message from='alice@localhost/x' to='bot@localhost' type='chat' id='a&nbsp;b'><body>hi</body></message>",
  "a character reference to U+FFFE":
    "<message from='alice@localhost/x' to='bot@localhost' type='chat' id='&#xFFFE;'><body>hi</body></message>",
  "a character reference to U+0000":
    "<message from='alice@localhost/x' to='bot@localhost' type='chat' id='&#0;'><body>hi</body></message>",
  "a mismatched end tag":
    "<message from='alice@localhost/x' to='bot@localhost' type='chat'><body>x</bodyy></message>",
  "a DOCTYPE with an entity declaration":
    "<!DOCTYPE foo [<!ENTITY x 'y'>]><message from='alice@localhost/x' to='bot@localhost' type='chat'><body>&x;</body></message>",
};

const DROPPED: Record<string, string> = {
  "a message from 'alice@'":
    "<message from='alice@' to='bot@localhost' type='chat'><body>hi</body></message>",
  "an IQ from 'alice@'":
    "<iq from='alice@' to='bot@localhost/fluux-agent' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>",
  "a presence from '@localhost'": "<presence from='@localhost'/>",
  "a message to 'bot@localhost/'":
    "<message from='alice@localhost/x' to='bot@localhost/' type='chat'><body>hi</body></message>",
};

async function agentOnRogue(rogue: { port: number }, llmUrl: string) {
  return await startAgent({
    prosody: { c2sPort: rogue.port },
    llmUrl,
    plaintext: true,
    extraToml: "[keepalive]\nenabled = false",
  });
}

for (const [what, attack] of Object.entries(BREAKS_THE_STREAM)) {
  Deno.test(`a hostile server's ${what} closes the stream, not the process`, async () => {
    await using rogue = await startRogueServer();
    await using llm = await startFakeLlm();
    await using agent = await agentOnRogue(rogue, llm.url);
    await rogue.ready();
    await rogue.send(attack);
    const line = await agent.waitForLog(/breaks the stream/);
    assertTrue(/WARN /.test(line), line);
    await agent.waitForLog(/Disconnected/);
    // The agent comes back on a new stream and answers.
    await eventually("a second connection", () => rogue.connections === 2, 20_000);
    await rogue.ready(20_000);
    await rogue.send(GENUINE, { stanzas: 1 });
    const reply = await rogue.waitFor(/echo: are you alive\?/);
    assertTrue(reply.includes('to="alice@localhost/phone"'), reply);
    assertEquals(llm.chat_count, 1, "the attack reached no LLM");
    const exit = await Promise.race([agent.exited, Promise.resolve("running")]);
    assertEquals(exit, "running");
  });
}

for (const [what, attack] of Object.entries(DROPPED)) {
  Deno.test(`a hostile server's ${what} is dropped and still counted`, async () => {
    await using rogue = await startRogueServer();
    await using llm = await startFakeLlm();
    await using agent = await agentOnRogue(rogue, llm.url);
    await rogue.ready();
    await rogue.send(attack, { stanzas: 1 });
    const line = await agent.waitForLog(/Dropped a </);
    assertTrue(/WARN .*not a valid JID/.test(line), line);
    await rogue.send(GENUINE, { stanzas: 1 });
    await rogue.waitFor(/echo: are you alive\?/);
    // XEP-0198: the dropped stanza was received; the agent's count matches the server's.
    await rogue.send("<r xmlns='urn:xmpp:sm:3'/>");
    const ack = await rogue.waitFor(/<a /);
    assertEquals(ack.match(/h="(\d+)"/)?.[1], String(rogue.sentSinceEnabled));
    assertEquals(rogue.connections, 1, "the stream stayed up");
    assertEquals(llm.chat_count, 1, "only the genuine message reached the LLM");
  });
}

Deno.test("a server that enables stream management and never acknowledges holds no conversation", async () => {
  await using rogue = await startRogueServer();
  await using llm = await startFakeLlm();
  await using agent = await agentOnRogue(rogue, llm.url);
  await rogue.ready();
  const message = (n: number) =>
    `<message from='alice@localhost/phone' to='bot@localhost' type='chat' id='m${n}'>` +
    `<body>question ${n}</body></message>`;
  await rogue.send(message(1) + message(2) + message(3), { stanzas: 3 });
  await rogue.waitFor(/echo: question 1/);
  // The first answer's acknowledgement never comes: once the server has been silent that
  // long, what is written counts as delivered, and the rest follow at once.
  const line = await agent.waitForLog(/answered no acknowledgement request/, 20_000);
  assertTrue(/WARN /.test(line), line);
  await rogue.waitFor(/echo: question 2/, 5_000);
  await rogue.waitFor(/echo: question 3/, 5_000);
  assertEquals(rogue.connections, 1, "the stream stayed up");
});
