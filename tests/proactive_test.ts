/**
 * The agent speaking first as a person notices it (a real Prosody, slixmpp, the agent as a
 * process): an allowed contact who comes online is greeted (once: not again while the
 * conversation is recent), and a webhook's result for a contact known to be offline waits
 * until they are online, then arrives once, live (not from the server's offline storage).
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { signWebhook } from "../src/webhooks/mod.ts";
import { freePort } from "./support/loopback.ts";

const BOT = "bot@localhost";
const SECRET = "deploy-hook-secret-0123456789";

function bodies(events: readonly { kind: string }[]): HumanMessage[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(BOT) && m.body !== undefined);
}

Deno.test("proactive: a contact coming online is greeted once; a result for an offline contact waits for them", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  llm.script(({ last_user_text }) =>
    last_user_text === "[I just came online.]" ? { text: "Welcome back, Alice!" } : undefined
  );
  const port = freePort();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-proactive-" });
  try {
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      dataDir,
      env: { DEPLOY_SECRET: SECRET },
      extraToml: `
[proactive]
greet_on_login = true

[webhooks]
listen = "127.0.0.1:${port}"

[[webhooks.routes]]
path = "/hooks/deploy"
secret = "\${DEPLOY_SECRET}"
signature = "github"
to = "alice@localhost"
mode = "notify"
template = "Deployed {{version}}"
`,
    });
    // Alice and the agent see each other's presence.
    {
      await using alice = await connectHuman(prosody, {
        user: "alice",
        password: "alicepass",
        autoAccept: true,
      });
      await alice.subscribe(BOT);
      await alice.waitFor((e) => e.kind === "presence" && e.from.startsWith(`${BOT}/`), 10_000);
      // Long enough after the agent's own login for a presence to be news.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
    }
    // Alice is offline now: a deployment result for her waits.
    const body = JSON.stringify({ version: "2.0.1" });
    const response = await fetch(`http://127.0.0.1:${port}/hooks/deploy`, {
      method: "POST",
      headers: { "content-type": "application/json", ...await signWebhook("github", SECRET, body) },
      body,
    });
    assertEquals(response.status, 202);
    await agent.waitForLog(/Holding an event for alice@localhost until they are online/);

    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    const first = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
    const second = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
    const got = [first, second].map((m) => m.body);
    assertTrue(got.includes("Deployed 2.0.1"), got.join(" | "));
    assertTrue(got.includes("Welcome back, Alice!"), got.join(" | "));
    const deployed = [first, second].find((m) => m.body === "Deployed 2.0.1")!;
    assertTrue(!deployed.xml.includes("urn:xmpp:delay"), "sent live, not from offline storage");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assertEquals(bodies(alice.events).filter((m) => m.body === "Deployed 2.0.1").length, 1);

    // Back again soon: the conversation is recent, no second greeting.
    await alice.close();
    await using again = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await again.expectSilence(BOT, 2_000, { withBody: true });
    const history = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`);
    assertIncludes(history, "Welcome back, Alice!");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
