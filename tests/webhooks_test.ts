/**
 * Webhooks as a person and an operator notice them (a real Prosody, slixmpp as the person,
 * the agent as a process, real HTTP): a signed POST becomes an answer in the person's chat;
 * a bad signature changes nothing; a retry is delivered once; a delivery accepted just
 * before the agent was killed still arrives; a delivery for a conversation whose turn is in
 * progress waits for it; notify mode sends the template without the LLM.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm, waitForRequests } from "./support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { signWebhook } from "../src/webhooks/mod.ts";
import { freePort } from "./support/loopback.ts";

const BOT = "bot@localhost";
const SECRET = "ci-hook-secret-0123456789";

function webhooksToml(port: number): string {
  return `
[webhooks]
listen = "127.0.0.1:${port}"

[[webhooks.routes]]
path = "/hooks/ci"
secret = "\${CI_HOOK_SECRET}"
signature = "github"
to = "alice@localhost"
mode = "agent"
instructions = "Summarise the build result in one line."

[[webhooks.routes]]
path = "/hooks/deploy"
secret = "\${CI_HOOK_SECRET}"
signature = "github"
to = "alice@localhost"
mode = "notify"
template = "Deployed {{service}} at {{version}}"
`;
}

async function post(
  port: number,
  path: string,
  body: unknown,
  options: { deliveryId?: string; tamper?: boolean } = {},
): Promise<{ status: number; json: unknown }> {
  const text = JSON.stringify(body);
  const headers = await signWebhook("github", SECRET, text, {
    ...(options.deliveryId === undefined ? {} : { deliveryId: options.deliveryId }),
  });
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: options.tamper ? text.replace("passed", "failed") : text,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

function bodies(events: readonly { kind: string }[]): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(BOT) && m.body !== undefined)
    .map((m) => m.body!);
}

Deno.test("webhooks: a signed POST is answered in alice's chat; a bad signature changes nothing; a retry counts once", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  llm.script(({ request }) => {
    const system = String((request.body as { system?: unknown }).system ?? "");
    return system.includes("webhook /hooks/ci") ? { text: "Build passed on main." } : undefined;
  });
  const port = freePort();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: webhooksToml(port),
    env: { CI_HOOK_SECRET: SECRET },
  });
  await agent.waitForLog(/Listening for webhooks on 127\.0\.0\.1:/);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  const forged = await post(port, "/hooks/ci", { status: "passed", branch: "main" }, {
    tamper: true,
  });
  assertEquals(forged.status, 401);
  const build = { status: "passed", branch: "main" };
  const accepted = await post(port, "/hooks/ci", build, { deliveryId: "gh-1" });
  assertEquals(accepted.status, 202);
  const answer = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
  assertEquals(answer.body, "Build passed on main.");
  const retry = await post(port, "/hooks/ci", build, { deliveryId: "gh-1" });
  assertEquals(retry.status, 200);
  assertEquals((retry.json as { duplicate?: boolean }).duplicate, true);

  // The payload reached the LLM as untrusted data, labelled with its route, never as alice's.
  const request = llm.requests.findLast((r) => r.path === "/v1/messages")!;
  const body = request.body as { system: string; messages: { role: string; content: unknown }[] };
  assertIncludes(body.system, "Summarise the build result in one line.");
  assertIncludes(JSON.stringify(body.messages.at(-1)), "untrusted");
  assertIncludes(JSON.stringify(body.messages.at(-1)), "webhook /hooks/ci");
  const history = await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`);
  assertIncludes(history, '"source":{"kind":"webhook"');
  assertIncludes(history, "Build passed on main.");

  const deployed = await post(port, "/hooks/deploy", { service: "api", version: "1.4.2" });
  assertEquals(deployed.status, 202);
  const notice = await alice.nextMessage({ from: BOT, withBody: true });
  assertEquals(notice.body, "Deployed api at 1.4.2");
  // The notice waited behind any turn the retry or the forgery had started for alice.
  assertEquals(
    bodies(alice.events),
    ["Build passed on main.", "Deployed api at 1.4.2"],
    "one answer; nothing for the retry or the forgery",
  );
  assertEquals(llm.chat_count, 1, "one LLM call: none for the retry, none in notify mode");
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  assertEquals([health.status, (await health.json()).xmpp], [200, "online"]);
});

Deno.test("webhooks: a delivery waits behind alice's turn, and one accepted before a kill arrives after the restart", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm({ delay_ms: 1500 });
  const port = freePort();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-webhooks-" });
  try {
    const options = {
      prosody,
      llmUrl: llm.url,
      extraToml: webhooksToml(port),
      env: { CI_HOOK_SECRET: SECRET },
      dataDir,
    };
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    {
      await using agent = await startAgent(options);
      await agent.waitForLog(/Listening for webhooks/);
      await alice.send(BOT, "first, my question");
      await waitForRequests(llm, 2); // the start-up check, then alice's turn
      const accepted = await post(port, "/hooks/ci", { status: "passed", branch: "main" });
      assertEquals(accepted.status, 202);
      const first = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 10_000 });
      assertEquals(first.body, "echo: first, my question", "alice's turn is not interleaved");
      // Killed while the webhook's turn runs: once it has asked the LLM (the third request),
      // which takes 1.5 s to answer.
      await waitForRequests(llm, 3, { timeout_ms: 15_000 });
      await agent.kill();
    }
    assertEquals(bodies(alice.events).length, 1);
    await using _again = await startAgent(options);
    const late = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 20_000 });
    assertTrue(late.body?.startsWith("echo: ") === true, late.body);
    assertIncludes(late.body ?? "", "webhook /hooks/ci");
    // The restarted turn saw alice's exchange first: it ran after hers, as queued.
    const request = llm.requests.findLast((r) => r.path === "/v1/messages")!;
    const messages = (request.body as { messages: { role: string; content: unknown }[] }).messages;
    assertEquals(messages[0], { role: "user", content: "first, my question" });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
