/**
 * The agent as a contact describes itself: disco#info lists exactly the features the code
 * declares, and the entity capabilities hash in its presence (XEP-0115) is one a real
 * client (slixmpp's xep_0115 plugin) fetches, recomputes and accepts; its name and picture
 * are where clients look (vCard-temp and the XEP-0153 hash, XEP-0084 and XEP-0292 in PEP;
 * a component answers vCard queries itself).
 */
import { assertEquals, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import {
  connectHuman,
  type Human,
  type HumanPresence,
  type IqReply,
  type VerifiedCaps,
} from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { TEST_SERVERS } from "./support/test_servers.ts";
import { registerFresh } from "./support/xmpp_server.ts";
import { CAPS_NODE, COMPONENT_FEATURES, FEATURES } from "../src/xmpp/features.ts";

const BOT = "bot@localhost";

Deno.test("identity: caps in presence and disco#info match the code's feature list", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using _agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, {
    user: "alice",
    password: "alicepass",
    autoAccept: true,
    plugins: ["xep_0115"],
  });
  await alice.subscribe(BOT);
  const presence = await alice.waitFor(
    (e): e is HumanPresence => e.kind === "presence" && e.from.startsWith(`${BOT}/`),
    10_000,
  );
  assertTrue(presence.xml.includes(`node="${CAPS_NODE}"`), `caps node in ${presence.xml}`);

  const info = await alice.iq(presence.from, "disco_info");
  assertEquals(info.type, "result");
  assertEquals([...info.features ?? []].sort(), [...FEATURES].sort());
  assertEquals(info.identities, [{ category: "client", type: "bot", name: "Fluux Agent" }]);

  let caps: VerifiedCaps | null = null;
  await eventually("slixmpp verified the agent's caps hash", async () => {
    caps = await alice.verifiedCaps(presence.from);
    return caps !== null;
  }, 10_000);
  const verified = caps as unknown as VerifiedCaps;
  assertEquals(verified.features, [...FEATURES].sort());
  assertTrue(presence.xml.includes(`ver="${verified.ver}"`), "the presence carries that hash");
});

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

async function sha1Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function pepItems(bot: string, node: string): string {
  return `<iq type='get' to='${bot}'><pubsub xmlns='http://jabber.org/protocol/pubsub'>` +
    `<items node='${node}'/></pubsub></iq>`;
}

for (const server of TEST_SERVERS) {
  Deno.test(`[${server.name}] identity: the name and avatar in vCard-temp, presence and PEP`, async () => {
    await using xmpp = await server.start();
    const bot = await registerFresh(xmpp, "bot");
    const person = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    const dir = await Deno.makeTempDir({ prefix: "fluux-avatar-" });
    try {
      await Deno.writeFile(`${dir}/avatar.png`, PNG);
      await using agent = await startAgent({
        prosody: xmpp,
        llmUrl: llm.url,
        user: bot.user,
        password: bot.password,
        allowedJids: [person.jid],
        agentToml: `name = "Test Bot"\navatar = "${dir}/avatar.png"`,
      });
      await agent.waitForLog(/Published the agent's vCard and avatar/);
      const hash = await sha1Hex(PNG);
      const base64 = btoa(String.fromCharCode(...PNG));
      await using alice = await connectHuman(xmpp, { ...person, autoAccept: true });
      await alice.subscribe(bot.jid);
      const presence = await alice.waitFor(
        (e): e is HumanPresence => e.kind === "presence" && e.from.startsWith(`${bot.jid}/`),
        10_000,
      );
      assertTrue(
        presence.xml.includes(`<photo>${hash}</photo>`),
        `the photo's hash in ${presence.xml}`,
      );

      const vcard = await alice.iq(
        bot.jid,
        `<iq type='get' to='${bot.jid}'><vCard xmlns='vcard-temp'/></iq>`,
      );
      assertEquals(vcard.type, "result");
      assertTrue(vcard.xml.includes("<FN>Test Bot</FN>"), vcard.xml);
      assertTrue(vcard.xml.includes(base64), "the photo in the vCard");

      const metadata = await alice.iq(bot.jid, pepItems(bot.jid, "urn:xmpp:avatar:metadata"));
      assertTrue(metadata.xml.includes(`id="${hash}"`), metadata.xml);
      assertTrue(metadata.xml.includes('type="image/png"'), metadata.xml);
      const data = await alice.iq(bot.jid, pepItems(bot.jid, "urn:xmpp:avatar:data"));
      assertTrue(data.xml.includes(base64), data.xml);
      const vcard4 = await alice.iq(bot.jid, pepItems(bot.jid, "urn:xmpp:vcard4"));
      assertTrue(vcard4.xml.includes("<text>Test Bot</text>"), vcard4.xml);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("identity: without an avatar, the account's vCard still carries the agent's name", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    agentToml: `name = "Plain Bot"`,
  });
  await agent.waitForLog(/Published the agent's vCard \(its name\)/);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const vcard = await alice.iq(
    BOT,
    `<iq type='get' to='${BOT}'><vCard xmlns='vcard-temp'/></iq>`,
  );
  assertEquals(vcard.type, "result");
  assertTrue(vcard.xml.includes("<FN>Plain Bot</FN>"), vcard.xml);
  assertTrue(!vcard.xml.includes("<PHOTO>"), "no photo without an avatar");
});

Deno.test("identity: a component answers vCard, disco#info and commands for its addresses", async () => {
  await using prosody = await startProsody();
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-component-" });
  const dir = await Deno.makeTempDir({ prefix: "fluux-avatar-" });
  try {
    await Deno.writeFile(`${dir}/avatar.png`, PNG);
    await using _agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      configToml: `
[server]
mode = "component"
host = "127.0.0.1"
port = ${prosody.componentPort}
component_domain = "agent.localhost"
component_secret = "${prosody.componentSecret}"

[llm]
provider = "ollama"
model = "test-model"
host = "${llm.url}"
max_retries = 0

[agent]
name = "Helper"
avatar = "${dir}/avatar.png"
allowed_jids = ["alice@localhost"]

[memory]
path = "${dataDir}"
`,
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    const helper = "helper@agent.localhost";
    const info = await eventuallyIq(alice, helper, "disco_info");
    assertEquals([...info.features ?? []].sort(), [...COMPONENT_FEATURES].sort());
    const vcard = await alice.iq(
      helper,
      `<iq type='get' to='${helper}'><vCard xmlns='vcard-temp'/></iq>`,
    );
    assertEquals(vcard.type, "result");
    assertTrue(vcard.xml.includes("<FN>Helper</FN>"), vcard.xml);
    assertTrue(vcard.xml.includes(btoa(String.fromCharCode(...PNG))), "the photo");
    // Its commands are in the menu at every address too (XEP-0050).
    const commands = await alice.iq(
      helper,
      `<iq type='get' to='${helper}'><query xmlns='http://jabber.org/protocol/disco#items' ` +
        "node='http://jabber.org/protocol/commands'/></iq>",
    );
    assertTrue(commands.xml.includes('node="status"'), commands.xml);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

/** An IQ to a component, asked again until the component is connected. */
async function eventuallyIq(human: Human, to: string, kind: string): Promise<IqReply> {
  let reply: IqReply | undefined;
  await eventually(`an answer to ${kind} from ${to}`, async () => {
    reply = await human.iq(to, kind);
    return reply.type === "result";
  }, 10_000);
  return reply as IqReply;
}
