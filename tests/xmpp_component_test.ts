/**
 * The XEP-0114 component connection, driven in this process (no agent, no LLM) against a
 * real Prosody's component port, with slixmpp as the human.
 */
import { assertEquals, assertIncludes, assertRejects, assertTrue } from "./support/assert.ts";
import { EventBuffer } from "./support/event_buffer.ts";
import { connectHuman, type HumanEvent } from "./support/human.ts";
import { type ProsodyHandle, startProsody } from "./support/prosody.ts";
import { createLogger } from "../src/log/mod.ts";
import {
  ComponentConnection,
  type ComponentConnectionOptions,
  type MessageEvent,
  type SubscribeEvent,
  type XmppEvent,
  XmppFatalError,
} from "../src/xmpp/mod.ts";

interface Component extends AsyncDisposable {
  connection: ComponentConnection;
  running: Promise<void>;
  logs: string[];
  next<T extends XmppEvent["type"]>(
    type: T,
    where?: (event: Extract<XmppEvent, { type: T }>) => boolean,
  ): Promise<Extract<XmppEvent, { type: T }>>;
}

function startComponent(
  prosody: ProsodyHandle,
  overrides: Partial<ComponentConnectionOptions> = {},
): Component {
  const logs: string[] = [];
  const events = new EventBuffer<XmppEvent>((event) => JSON.stringify(event));
  const connection = new ComponentConnection({
    host: prosody.host,
    port: prosody.componentPort,
    domain: prosody.componentDomain,
    secret: prosody.componentSecret,
    keepalive: { intervalMs: 0, timeoutMs: 0 },
    software: { name: "Fluux Agent", version: "test" },
    logger: createLogger("xmpp", { level: "debug", write: (line) => logs.push(line) }),
    ...overrides,
  });
  connection.onEvent((event) => events.push(event));
  const running = connection.run();
  running.catch(() => {});
  return {
    connection,
    running,
    logs,
    next: (type, where = () => true) =>
      // deno-lint-ignore no-explicit-any
      events.waitFor((e: XmppEvent) => e.type === type && where(e as any), {
        description: `${type} event`,
        // deno-lint-ignore no-explicit-any
      }) as any,
    async [Symbol.asyncDispose]() {
      await connection.stop();
      await running.catch(() => {});
    },
  };
}

Deno.test("a wrong component secret is a fatal error naming the domain", async () => {
  await using prosody = await startProsody();
  await using component = startComponent(prosody, { secret: "wrong" });
  const error = await assertRejects(() => component.running, XmppFatalError);
  assertIncludes(error.message, 'The server refused the component secret for "agent.localhost"');
});

Deno.test("component mode: messages, presence, IQs and rooms", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("alice", "alicepass");
  await using component = startComponent(prosody, {
    keepalive: { intervalMs: 200, timeoutMs: 2000 },
  });
  assertEquals(await component.next("online"), { type: "online", jid: "agent.localhost" });
  const onlineAt = Date.now();
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  await t.step("a message to any address of the domain is answered from that address", async () => {
    await alice.send("X@agent.localhost", "hello component");
    const event: MessageEvent = await component.next("message");
    // The server normalises the address (RFC 7622): replies come from the normalised form.
    assertEquals([event.bare, event.to, event.body], [
      "alice@localhost",
      "x@agent.localhost",
      "hello component",
    ]);
    component.connection.send({
      type: "message",
      to: event.from,
      from: event.to ?? "",
      body: "hello human",
    });
    const reply = await alice.nextMessage({ withBody: true });
    assertEquals([reply.from.toLowerCase(), reply.body], ["x@agent.localhost", "hello human"]);
    await alice.send("agent.localhost", "to the domain");
    assertEquals((await component.next("message")).to, "agent.localhost");
  });

  await t.step("an approved subscription is followed by the component's presence", async () => {
    await alice.subscribe("x@agent.localhost");
    const request: SubscribeEvent = await component.next("subscribe");
    assertEquals(request, { type: "subscribe", bare: "alice@localhost", to: "x@agent.localhost" });
    component.connection.send({ type: "subscribed", to: request.bare, from: request.to ?? "" });
    await alice.waitFor((e) => e.kind === "subscribed" && e.from === "x@agent.localhost");
    const presence = await alice.waitFor((e) =>
      e.kind === "presence" && e.type === "available" && e.from === "x@agent.localhost"
    );
    assertTrue(presence !== undefined);
  });

  await t.step("a presence probe is reported, and an announcement answers it", async () => {
    await alice.sendRaw("<presence type='probe' to='probed@agent.localhost'/>");
    const probe = await component.next("probe");
    assertEquals([probe.bare, probe.to], ["alice@localhost", "probed@agent.localhost"]);
    const fromProbed = (e: HumanEvent) =>
      e.kind === "presence" && e.type === "available" && e.from === "probed@agent.localhost";
    // The connection does not answer on its own: the agent decides who may see presence.
    await assertRejects(() => alice.waitFor(fromProbed, 500), Error, "No a matching event");
    component.connection.send({ type: "announce", to: probe.from, from: probe.to });
    await alice.waitFor((e) =>
      e.kind === "presence" && e.type === "available" && e.from === "probed@agent.localhost"
    );
  });

  await t.step("IQs are answered, unknown ones with an error", async () => {
    const info = await alice.iq("agent.localhost", "disco_info");
    assertEquals(info.type, "result");
    assertEquals(info.identities?.[0]?.category, "component");
    assertTrue(info.features?.includes("urn:xmpp:ping") === true);
    const bot = await alice.iq("x@agent.localhost", "disco_info");
    assertEquals(bot.identities?.[0]?.type, "bot");
    assertEquals((await alice.iq("x@agent.localhost", "ping")).type, "result");
    assertEquals((await alice.iq("agent.localhost", "version")).name, "Fluux Agent");
    const items = await alice.iq(
      "agent.localhost",
      "<iq type='get' to='agent.localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>",
    );
    assertEquals(items.type, "result");
    const unknown = await alice.iq(
      "agent.localhost",
      "<iq type='get' to='agent.localhost'><query xmlns='urn:example:nothing'/></iq>",
    );
    assertEquals([unknown.type, unknown.error], ["error", "service-unavailable"]);
  });

  await t.step("keepalive pings go through the server and back", async () => {
    // Until a first ping (200 ms after going online) left unanswered would have been given up
    // on (2 s later), however long the steps before took.
    const unansweredBy = onlineAt + 200 + 2000 + 500;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, unansweredBy - Date.now())));
    assertTrue(!component.logs.some((line) => line.includes("No answer to keepalive ping")));
    assertTrue(component.connection.online);
  });

  await t.step("rooms are joined from agent@domain and room messages are parsed", async () => {
    const room = `lab@${prosody.mucDomain}`;
    await alice.joinRoom(room, "alice");
    component.connection.send({ type: "join", room, nick: "helper" });
    assertEquals(await component.next("room_joined"), {
      type: "room_joined",
      room,
      nick: "helper",
    });
    await alice.send(room, "hi helper", { type: "groupchat" });
    const heard = await component.next("groupchat", (e) => e.body === "hi helper");
    assertEquals([heard.nick, heard.own], ["alice", false]);
    component.connection.send({ type: "message", to: room, body: "hi", messageType: "groupchat" });
    const own = await component.next("groupchat", (e) => e.body === "hi");
    assertEquals(own.own, true);
    const seen = await alice.nextMessage({ from: `${room}/helper`, withBody: true });
    assertEquals(seen.body, "hi");
    assertEquals(component.connection.roomJid, "agent@agent.localhost");
  });

  await t.step("the component reconnects and rejoins after a server restart", async () => {
    await prosody.restart();
    await component.next("offline");
    await component.next("online");
    const room = `lab@${prosody.mucDomain}`;
    assertEquals(await component.next("room_joined"), {
      type: "room_joined",
      room,
      nick: "helper",
    });
  });
});
