/**
 * Proves the ejabberd harness: Debian's ejabberd with Debian's modules, shared by the run,
 * reached by slixmpp humans and by the agent's component connection.
 */

import assert from "node:assert/strict";
import { EventBuffer } from "./support/event_buffer.ts";
import { connectHuman, type HumanPresence } from "./support/human.ts";
import { sharedEjabberd } from "./support/shared_ejabberd.ts";
import { randomHex, registerFresh } from "./support/xmpp_server.ts";
import { createLogger } from "../src/log/mod.ts";
import { ComponentConnection, type XmppEvent, XmppFatalError } from "../src/xmpp/mod.ts";

Deno.test("two humans log in to the shared ejabberd over STARTTLS and exchange a message", async () => {
  const ejabberd = await sharedEjabberd();
  const alice = await registerFresh(ejabberd, "alice");
  const bob = await registerFresh(ejabberd, "bob");
  await using aliceClient = await connectHuman(ejabberd, { ...alice, resource: "laptop" });
  await using bobClient = await connectHuman(ejabberd, bob);
  assert.equal(aliceClient.jid, `${alice.jid}/laptop`);

  const id = await aliceClient.send(bob.jid, "Hello <Bob> & co", { chatState: "active" });
  const received = await bobClient.nextMessage({ from: alice.jid, withBody: true });
  assert.deepEqual([received.body, received.id, received.from], [
    "Hello <Bob> & co",
    id,
    aliceClient.jid,
  ]);
  assert.equal(received.chatState, "active");
  // MAM is on: the receiver's archive stamps the message.
  assert.match(received.xml, new RegExp(`<stanza-id xmlns="urn:xmpp:sid:0" [^>]*by="${bob.jid}"`));

  assert.equal((await aliceClient.iq(ejabberd.domain, "ping")).type, "result");
  assert.equal((await aliceClient.iq(ejabberd.domain, "version")).name, "ejabberd");
  const info = await aliceClient.iq(ejabberd.domain, "disco_info");
  for (const feature of ["urn:xmpp:carbons:2", "urn:xmpp:blocking", "urn:xmpp:ping"]) {
    assert.ok(info.features?.includes(feature), `${feature} missing from ${info.xml}`);
  }
});

Deno.test("ejabberd offers stream management (XEP-0198) and STARTTLS only before login", async () => {
  const ejabberd = await sharedEjabberd();
  const alice = await registerFresh(ejabberd, "alice");
  const human = await connectHuman(ejabberd, { ...alice, debug: true });
  await human.close();
  // slixmpp's debug log holds every stanza it received, the stream features included.
  const features = [...human.stderr().matchAll(/<stream:features[^]*?<\/stream:features>/g)]
    .map((match) => match[0]);
  assert.equal(features.length, 3, human.stderr());
  assert.match(features[0] ?? "", /<starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"><required/);
  assert.match(features[1] ?? "", /<mechanism>SCRAM-SHA-1<\/mechanism>/);
  assert.match(features[2] ?? "", /<sm xmlns="urn:xmpp:sm:3"/);
});

Deno.test("ejabberd bounces a stanza to another server at once: s2s is off", async () => {
  const ejabberd = await sharedEjabberd();
  const alice = await registerFresh(ejabberd, "alice");
  await using human = await connectHuman(ejabberd, alice);
  const foreign = await human.send("someone@example.org", "hello?");
  const bounce = await human.nextMessage({ from: "someone@example.org" });
  assert.deepEqual([bounce.type, bounce.id], ["error", foreign]);
  assert.match(bounce.xml, /<forbidden /);
  const local = await human.send(`nobody-${randomHex(4)}@${ejabberd.domain}`, "anyone?");
  const missing = await human.nextMessage();
  assert.deepEqual([missing.type, missing.id], ["error", local]);
  assert.match(missing.xml, /<service-unavailable /);
});

Deno.test("connectHuman() is refused a wrong password by ejabberd", async () => {
  const ejabberd = await sharedEjabberd();
  const alice = await registerFresh(ejabberd, "alice");
  await assert.rejects(
    connectHuman(ejabberd, { user: alice.user, password: "wrong" }),
    /could not log in/,
  );
  await assert.rejects(ejabberd.register(alice.user, "again"), /already registered/);
});

Deno.test("a new room on conference.localhost is open at once (status 201), with MAM stanza-ids", async () => {
  const ejabberd = await sharedEjabberd();
  const alice = await registerFresh(ejabberd, "alice");
  const bob = await registerFresh(ejabberd, "bob");
  await using aliceClient = await connectHuman(ejabberd, alice);
  await using bobClient = await connectHuman(ejabberd, bob);
  const room = `lab-${randomHex(4)}@${ejabberd.mucDomain}`;

  await aliceClient.joinRoom(room, "alice");
  const created = aliceClient.events.find((e): e is HumanPresence =>
    e.kind === "presence" && e.from === `${room}/alice` && e.xml.includes('code="110"')
  );
  assert.match(created?.xml ?? "", /code="201"/);
  // No configuration form submitted: on a server that locks new rooms this join fails.
  await bobClient.joinRoom(room, "bob");
  // Debian's default rooms are semi-anonymous, unlike the Prosody harness's: a participant
  // does not see the real JIDs of the others (the owner, a moderator, does).
  const aliceSeenByBob = bobClient.events.find((e) =>
    e.kind === "presence" && e.from === `${room}/alice`
  );
  assert.ok(aliceSeenByBob?.kind === "presence");
  assert.doesNotMatch(aliceSeenByBob.xml, /jid=/);

  await aliceClient.send(room, "hello room", { type: "groupchat" });
  const heard = await bobClient.nextMessage({ from: `${room}/alice`, withBody: true });
  assert.equal(heard.type, "groupchat");
  assert.match(heard.xml, new RegExp(`<stanza-id xmlns="urn:xmpp:sid:0" [^>]*by="${room}"`));
});

Deno.test("a component connects to ejabberd with the secret and is refused without it", async () => {
  const ejabberd = await sharedEjabberd();
  const events = new EventBuffer<XmppEvent>((event) => JSON.stringify(event));
  const component = new ComponentConnection({
    host: ejabberd.host,
    port: ejabberd.componentPort,
    domain: ejabberd.componentDomain,
    secret: ejabberd.componentSecret,
    keepalive: { intervalMs: 0, timeoutMs: 0 },
    software: { name: "Fluux Agent", version: "test" },
    logger: createLogger("xmpp", { level: "error", write: () => {} }),
  });
  component.onEvent((event) => events.push(event));
  const running = component.run();
  try {
    const alice = await registerFresh(ejabberd, "alice");
    await using human = await connectHuman(ejabberd, alice);
    const online = await events.waitFor((e) => e.type === "online");
    assert.deepEqual(online, { type: "online", jid: ejabberd.componentDomain });
    await human.send(`helper@${ejabberd.componentDomain}`, "hello component");
    const message = await events.waitFor((e) => e.type === "message");
    assert.deepEqual(message.type === "message" && [message.bare, message.to, message.body], [
      alice.jid,
      `helper@${ejabberd.componentDomain}`,
      "hello component",
    ]);
  } finally {
    await component.stop();
    await running.catch(() => {});
  }

  const wrong = new ComponentConnection({
    host: ejabberd.host,
    port: ejabberd.componentPort,
    domain: ejabberd.componentDomain,
    secret: "wrong",
    keepalive: { intervalMs: 0, timeoutMs: 0 },
    software: { name: "Fluux Agent", version: "test" },
    logger: createLogger("xmpp", { level: "error", write: () => {} }),
  });
  await assert.rejects(wrong.run(), XmppFatalError);
});
