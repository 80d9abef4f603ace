import assert from "node:assert/strict";
import { silentLogger } from "../log/mod.ts";
import { StreamManager } from "./_stream_manager.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";
import { NS_SM } from "./xep_0198_stream_management.ts";

/** An entity that writes each element within `send`, as xmpp.js does, and records writes. */
function fakeEntity() {
  const writes: string[] = [];
  let onNonza: (element: XmlElement) => void = () => {};
  const entity = {
    send(element: XmlElement) {
      return entity.write(element.toString());
    },
    write(text: string) {
      writes.push(text);
      return Promise.resolve();
    },
    on(event: string, listener: (element: XmlElement) => void) {
      if (event === "nonza") onNonza = listener;
    },
  };
  return {
    entity: entity as unknown as XmppJsEntity,
    writes,
    nonza: (element: XmlElement) => onNonza(element),
  };
}

async function enabled(
  ackAnswerDelayMs = 60_000,
  silentServerMs = 60_000,
  logger = silentLogger(),
) {
  const streams = new StreamManager({
    logger,
    ackRequestDelayMs: 60_000,
    ackAnswerDelayMs,
    silentServerMs,
  });
  const fake = fakeEntity();
  streams.attach(fake.entity);
  const enabling = streams.enable(fake.entity, "bot@localhost/agent");
  fake.nonza(xml("enabled", { xmlns: NS_SM, id: "s1", resume: "true" }));
  await enabling;
  fake.writes.length = 0;
  return { streams, ...fake };
}

const answer = (text: string) =>
  xml("message", { to: "alice@localhost/phone", type: "chat" }, xml("body", {}, text));
const REQUEST = `<r xmlns="${NS_SM}"/>`;

Deno.test("StreamManager asks for an acknowledgement in an answer's own write", async () => {
  const { streams, entity, writes, nonza } = await enabled();
  const composing = xml("message", { to: "alice@localhost/phone", type: "chat" });
  await streams.write(entity, { element: composing, queuedAt: Date.now() });
  await streams.write(entity, { element: answer("hello"), queuedAt: Date.now() });
  assert.equal(writes.length, 2, "no write of its own for the request");
  assert.ok(!writes[0]!.includes(REQUEST), "a chat state carries none");
  assert.ok(writes[1]!.startsWith("<message") && writes[1]!.endsWith(REQUEST), writes[1]);
  // Asked already: waiting for the server writes nothing more.
  let settled = false;
  const waiting = streams.settled().then(() => settled = true);
  assert.equal(writes.length, 2);
  nonza(xml("a", { xmlns: NS_SM, h: "1" }));
  await Promise.resolve();
  assert.equal(settled, false, "the answer is not acknowledged yet");
  nonza(xml("a", { xmlns: NS_SM, h: "2" }));
  await waiting;
  streams.detach();
});

Deno.test("StreamManager asks at once when what is waited for carried no request", async () => {
  const { streams, entity, writes, nonza } = await enabled();
  const reaction = xml("message", { to: "alice@localhost/phone", type: "chat" }, xml("x"));
  await streams.write(entity, { element: reaction, queuedAt: Date.now() });
  const waiting = streams.settled();
  assert.deepEqual(writes.slice(1), [REQUEST]);
  nonza(xml("a", { xmlns: NS_SM, h: "1" }));
  await waiting;
  streams.detach();
});

Deno.test("StreamManager answers the server's request in the write of the stanza that follows", async () => {
  const { streams, entity, writes, nonza } = await enabled();
  streams.handled();
  nonza(xml("r", { xmlns: NS_SM }));
  assert.equal(writes.length, 0, "the answer waits for a stanza to ride in");
  // The message handled after the request is counted too: h is what was handled when written.
  streams.handled();
  const composing = xml("message", { to: "alice@localhost/phone", type: "chat" });
  await streams.write(entity, { element: composing, queuedAt: Date.now() });
  assert.equal(writes.length, 1, "one write for the stanza and the answer");
  assert.ok(writes[0]!.startsWith("<message"), writes[0]);
  assert.ok(writes[0]!.endsWith(`<a xmlns="${NS_SM}" h="2"/>`), writes[0]);
  await streams.write(entity, { element: answer("hello"), queuedAt: Date.now() });
  assert.ok(!writes[1]!.includes("<a "), "answered once");
  streams.detach();
});

Deno.test("StreamManager answers the server's request alone when nothing is written soon", async () => {
  const { streams, writes, nonza } = await enabled(5);
  streams.handled();
  nonza(xml("r", { xmlns: NS_SM }));
  assert.deepEqual(writes, []);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(writes, [`<a xmlns="${NS_SM}" h="1"/>`]);
  streams.detach();
});

Deno.test("StreamManager owes no answer once the stream is gone", async () => {
  const { streams, writes, nonza } = await enabled(5);
  nonza(xml("r", { xmlns: NS_SM }));
  streams.detach();
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(writes, []);
});

Deno.test("StreamManager stops waiting for a server that never acknowledges", async () => {
  const warnings: string[] = [];
  const logger = { ...silentLogger(), warn: (line: string) => warnings.push(line) };
  const { streams, entity, writes } = await enabled(60_000, 20, logger);
  await streams.write(entity, { element: answer("one"), queuedAt: Date.now() });
  assert.ok(writes[0]!.endsWith(REQUEST));
  // Waited for until the server has been silent that long, then settled as written.
  await streams.settled();
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0]!, /answered no acknowledgement request/);
  assert.equal(streams.resumable, false, "a session whose count is unknown is not resumed");
  // Later answers are not waited for, and ask for nothing.
  await streams.write(entity, { element: answer("two"), queuedAt: Date.now() });
  assert.ok(!writes[1]!.includes(REQUEST), writes[1]);
  await streams.settled();
  streams.detach();
});

Deno.test("StreamManager waits for a slow server that has acknowledged before", async () => {
  const warnings: string[] = [];
  const logger = { ...silentLogger(), warn: (line: string) => warnings.push(line) };
  const { streams, entity, nonza } = await enabled(60_000, 20, logger);
  await streams.write(entity, { element: answer("one"), queuedAt: Date.now() });
  nonza(xml("a", { xmlns: NS_SM, h: "1" }));
  await streams.write(entity, { element: answer("two"), queuedAt: Date.now() });
  let settled = false;
  const waiting = streams.settled().then(() => settled = true);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(settled, false, "still waiting for the acknowledgement of the second");
  assert.deepEqual(warnings, []);
  nonza(xml("a", { xmlns: NS_SM, h: "2" }));
  await waiting;
  streams.detach();
});
