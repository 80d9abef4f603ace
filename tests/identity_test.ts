/**
 * The agent as a contact describes itself: disco#info lists exactly the features the code
 * declares, and the entity capabilities hash in its presence (XEP-0115) is one a real
 * client (slixmpp's xep_0115 plugin) fetches, recomputes and accepts.
 */
import { assertEquals, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanPresence, type VerifiedCaps } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { CAPS_NODE, FEATURES } from "../src/xmpp/features.ts";

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
