/**
 * Attack: the webhook listener, from the network, as someone without the routes' secrets or
 * with a captured request. Over real sockets to the agent's own listener (a process, a real
 * Prosody, slixmpp as alice, a fake LLM at the HTTP level), they try: no signature, forged
 * ones, another route's secret, a signed body altered, a `standard` request replayed after its
 * window, a delivery replayed or raced twenty times at once, paths that climb out or name the
 * data directory's files (`..`, `%2e%2e`, encoded slashes, NUL, full-width letters), a forged
 * log line in the path, `/status` from another address with a forged `X-Forwarded-For`.
 * Expected: every forgery gets 401 and reaches nobody, a replay is delivered once, no path
 * serves or creates a file, `/status` wants the admin token, alice gets exactly the genuine
 * deliveries, and no secret appears in any log line.
 */
import { assertEquals, assertExcludes, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";
import { signWebhook } from "../../src/webhooks/mod.ts";
import { freePort } from "../support/loopback.ts";
import { listTree, otherAddress, rawRequest, writeAll } from "./_webhook_wire.ts";

const BOT = "bot@localhost";
const CI_SECRET = "ci-secret-0123456789abcdef";
const DEPLOY_SECRET = `whsec_${btoa("deploy-key-0123456789abcdef")}`;
const ALERT_TOKEN = "alert-token-0123456789abcdef";
const ADMIN_TOKEN = "admin-token-0123456789abcdef";
const SECRETS = [CI_SECRET, DEPLOY_SECRET, DEPLOY_SECRET.slice(6), ALERT_TOKEN, ADMIN_TOKEN];

function routesToml(listen: string): string {
  return `
[webhooks]
listen = "${listen}"
admin_token = "\${ADMIN_TOKEN}"

[[webhooks.routes]]
path = "/hooks/ci"
secret = "\${CI_SECRET}"
signature = "github"
to = "alice@localhost"
mode = "agent"

[[webhooks.routes]]
path = "/hooks/deploy"
secret = "\${DEPLOY_SECRET}"
signature = "standard"
to = "alice@localhost"
mode = "notify"
template = "Deployed {{version}}"

[[webhooks.routes]]
path = "/hooks/alert"
secret = "\${ALERT_TOKEN}"
signature = "bearer"
to = "alice@localhost"
mode = "notify"
template = "Alert: {{text}}"
`;
}

const ENV = { CI_SECRET, DEPLOY_SECRET, ALERT_TOKEN, ADMIN_TOKEN };

function botBodies(events: readonly { kind: string }[]): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(BOT) && m.body !== undefined)
    .map((m) => m.body!);
}

Deno.test("security: forged, replayed and path-tricked webhook requests deliver nothing", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const port = freePort();
  const remote = otherAddress();
  assertTrue(remote !== undefined, "the machine has an IPv4 address besides loopback");
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    // Every address: /status is then reachable from a peer that is not loopback.
    extraToml: routesToml(`0.0.0.0:${port}`),
    env: ENV,
  });
  await agent.waitForLog(/Listening for webhooks/);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const workDir = agent.dataDir.slice(0, agent.dataDir.lastIndexOf("/"));
  const outsideBefore = await listTree(workDir, { skip: agent.dataDir });
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(url(path), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return { status: response.status, json: await response.json().catch(() => null) };
  };
  const chatsAtStart = llm.chat_count;

  // Forgeries: each route refuses what its own secret did not sign.
  const build = JSON.stringify({ status: "passed" });
  const ciSigned = await signWebhook("github", CI_SECRET, build, { deliveryId: "gh-1" });
  const deploy = JSON.stringify({ version: "6.6.6-forged" });
  const now = Math.floor(Date.now() / 1000);
  const forgeries: [string, string, Record<string, string>][] = [
    ["/hooks/ci", build, {}],
    ["/hooks/ci", build, { "X-Hub-Signature-256": `sha256=${"0".repeat(64)}` }],
    ["/hooks/ci", build, { "X-Hub-Signature-256": "sha256=" }],
    ["/hooks/ci", build, { "X-Hub-Signature-256": `sha256=${"ab".repeat(5000)}` }],
    ["/hooks/ci", `${build} `, ciSigned],
    ["/hooks/ci", build, await signWebhook("github", "another-secret-0123456789", build)],
    ["/hooks/deploy", build, ciSigned],
    ["/hooks/deploy", deploy, {}],
    // Signed with the right key, but captured and sent again 10 minutes later (and early).
    [
      "/hooks/deploy",
      deploy,
      await signWebhook("standard", DEPLOY_SECRET, deploy, {
        timestamp: now - 600,
      }),
    ],
    [
      "/hooks/deploy",
      deploy,
      await signWebhook("standard", DEPLOY_SECRET, deploy, {
        timestamp: now + 600,
      }),
    ],
    ["/hooks/deploy", deploy, {
      ...await signWebhook("standard", DEPLOY_SECRET, deploy, { deliveryId: "msg_a" }),
      "webhook-id": "msg_b",
    }],
    ["/hooks/deploy", deploy, {
      "webhook-id": "msg_c",
      "webhook-timestamp": String(now),
      "webhook-signature": `v1a,${btoa("x")} v1,${"A".repeat(44)} v1, v2,abc`,
    }],
    ["/hooks/alert", JSON.stringify({ text: "forged" }), {}],
    ["/hooks/alert", JSON.stringify({ text: "forged" }), { Authorization: "Bearer wrong" }],
    ["/hooks/alert", JSON.stringify({ text: "forged" }), { Authorization: `Bearer ${CI_SECRET}` }],
    ["/hooks/alert", JSON.stringify({ text: "forged" }), {
      Authorization: `Basic ${btoa(`x:${ALERT_TOKEN}`)}`,
    }],
    ["/hooks/alert", JSON.stringify({ text: "forged" }), {
      Authorization: `Bearer ${ALERT_TOKEN.slice(0, -1)}`,
    }],
  ];
  for (const [path, body, headers] of forgeries) {
    const answer = await post(path, body, headers);
    assertEquals(answer.status, 401, `${path} ${JSON.stringify(headers).slice(0, 120)}`);
  }

  // Paths that climb, are encoded, or name the data directory's files: none is a route.
  const tricks = [
    "/hooks/%2e%2e/inbox.jsonl",
    "/hooks/..%2f..%2finbox.jsonl",
    "/hooks%2fci",
    "/hooks/ci%00",
    "/hooks/ci%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/../../../../etc/passwd",
    "/hooks/\uff43\uff49",
    "/hooks/%EF%BD%83%EF%BD%89",
    "/webhooks/deliveries.jsonl",
    "/inbox.jsonl",
    "/alice@localhost/history.jsonl",
    "/hooks/ci/",
    "/HOOKS/CI",
    "/nothing%0a2026-12-01T00:00:00Z%20INFO%20forged%20line",
  ];
  for (const path of tricks) {
    for (const method of ["POST", "GET"]) {
      const answer = await rawRequest(port, `${method} ${path} HTTP/1.1`, build, ciSigned);
      assertTrue(
        [400, 401, 404, 405].includes(answer.status),
        `${method} ${path}: ${answer.status} ${answer.body.slice(0, 200)}`,
      );
      for (const leak of ["root:", '"delivery"', '"event"', '"type":"session"']) {
        assertExcludes(answer.body, leak, `${method} ${path}`);
      }
    }
  }
  // A climbing path is not resolved into another route (nor would that route skip its check).
  const climbed = await rawRequest(port, "POST /hooks/ci/../deploy HTTP/1.1", build, ciSigned);
  assertTrue([401, 404].includes(climbed.status), String(climbed.status));

  // /status and /metrics from another address: a forwarded-for header does not make it loopback.
  for (const path of ["/status", "/metrics", "/%73tatus", "//status", "/healthz/../status"]) {
    const answer = await rawRequest(port, `GET ${path} HTTP/1.1`, "", {
      "X-Forwarded-For": "127.0.0.1",
      "X-Real-IP": "127.0.0.1",
      Forwarded: "for=127.0.0.1",
    }, { hostname: remote });
    assertTrue([401, 404].includes(answer.status), `${path}: ${answer.status}`);
    assertExcludes(answer.body, "messages_in");
  }
  const wrong = await rawRequest(port, "GET /status HTTP/1.1", "", {
    Authorization: `Bearer ${CI_SECRET}`,
  }, { hostname: remote });
  assertEquals(wrong.status, 401);
  const admitted = await rawRequest(port, "GET /status HTTP/1.1", "", {
    Authorization: `Bearer ${ADMIN_TOKEN}`,
  }, { hostname: remote });
  assertEquals(admitted.status, 200);
  const health = await rawRequest(port, "GET /healthz HTTP/1.1", "", {}, { hostname: remote });
  assertEquals(Object.keys(JSON.parse(health.body)).sort(), ["uptime_secs", "xmpp"]);

  // Replays: a github delivery sent again, a standard one raced twenty times at once.
  assertEquals((await post("/hooks/ci", build, ciSigned)).status, 202);
  const again = await post("/hooks/ci", build, ciSigned);
  assertEquals([again.status, (again.json as { duplicate?: boolean }).duplicate], [200, true]);
  const genuine = JSON.stringify({ version: "1.0.0" });
  const signed = await signWebhook("standard", DEPLOY_SECRET, genuine, { deliveryId: "msg_1" });
  const raced = await Promise.all(
    Array.from({ length: 20 }, () => post("/hooks/deploy", genuine, signed)),
  );
  assertEquals(raced.filter((r) => r.status === 202).length, 1, JSON.stringify(raced));
  assertEquals(raced.filter((r) => r.status === 200).length, 19);
  assertEquals(new Set(raced.map((r) => (r.json as { id: string }).id)).size, 1);
  assertEquals(
    (await post("/hooks/alert", JSON.stringify({ text: "disk full" }), {
      Authorization: `Bearer ${ALERT_TOKEN}`,
    })).status,
    202,
  );

  await eventually(
    "alice has the three genuine deliveries",
    () => botBodies(alice.events).length >= 3,
    15_000,
  );
  await alice.expectSilence(BOT, 500, { withBody: true, since: alice.events.length });
  const got = botBodies(alice.events);
  assertEquals(got.filter((b) => b.startsWith("Deployed")), ["Deployed 1.0.0"]);
  assertEquals(got.filter((b) => b.startsWith("Alert")), ["Alert: disk full"]);
  assertEquals(got.length, 3, got.join(" | "));
  assertEquals(llm.chat_count - chatsAtStart, 1, "the LLM saw the one genuine ci delivery");
  assertTrue(!got.some((b) => b.includes("forged")), "no forgery reached alice");

  // Nothing was made outside the data directory; no path named a file into being inside it.
  assertEquals(await listTree(workDir, { skip: agent.dataDir }), outsideBefore);
  const inside = await listTree(agent.dataDir);
  for (const name of inside) assertTrue(!/passwd|\uff43|%|\.\.|\0/.test(name), name);

  const log = agent.lines.events.join("\n");
  for (const secret of SECRETS) assertExcludes(log, secret, "a secret in the log");
  assertTrue(!agent.lines.events.some((line) => line.startsWith("2026-12-01T00:00:00Z")));
  assertTrue(/Webhook \/hooks\/ci: 401/.test(log), "forgeries are logged");
});

Deno.test("security: huge, slow, malformed and flooding webhook senders leave the listener answering", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const port = freePort();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    // The last route, /hooks/alert, takes 5 deliveries a minute.
    extraToml: `${routesToml(`127.0.0.1:${port}`)}rate_per_minute = 5\n`,
    env: ENV,
  });
  await agent.waitForLog(/Listening for webhooks/);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  const send = async (
    path: string,
    body: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string>,
  ) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const deploy = async (body: string | Uint8Array<ArrayBuffer>) =>
    send("/hooks/deploy", body, await signWebhook("standard", DEPLOY_SECRET, body));

  // Slowloris: connections that send half their headers, or a body that never finishes.
  const held: Deno.Conn[] = [];
  const encode = (text: string) => new TextEncoder().encode(text);
  try {
    for (let i = 0; i < 60; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      held.push(conn);
      await writeAll(
        conn,
        encode(
          i % 2 === 0
            ? "POST /hooks/ci HTTP/1.1\r\nHost: x\r\nX-Hub-Sig"
            : 'POST /hooks/ci HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n{"a":"',
        ),
      );
    }
    // Bodies just under max_body_kb, all but their last byte: more than the 64 MiB that the
    // bodies in hand may hold together.
    const big = encode("x".repeat(1024 * 1024 - 16));
    await Promise.all(Array.from({ length: 70 }, async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      held.push(conn);
      const head = `POST /hooks/ci HTTP/1.1\r\nHost: x\r\nContent-Length: ${
        big.length + 1
      }\r\n\r\n`;
      await writeAll(conn, encode(head)).catch(() => {});
      await writeAll(conn, big).catch(() => {});
    }));
    await agent.waitForLog(/503 refused: the bodies being read fill the memory budget/);
    // Meanwhile: a declared 10 GB body and a chunked one that does not end are cut off.
    const huge = await rawRequest(port, "POST /hooks/ci HTTP/1.1", "", {
      "Content-Length": "10737418240",
    });
    assertTrue(huge.status === 413 || huge.status === 400, huge.head);
    const chunked = await Deno.connect({ hostname: "127.0.0.1", port });
    held.push(chunked);
    await writeAll(
      chunked,
      encode("POST /hooks/deploy HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"),
    );
    const chunk = encode(`10000\r\n${"y".repeat(0x10000)}\r\n`);
    for (let i = 0; i < 40; i++) {
      if (await writeAll(chunked, chunk).then(() => false, () => true)) break;
    }
    await agent.waitForLog(/Webhook \/hooks\/deploy: 413 too large \(read so far\)/);

    // The agent still answers, and a genuine delivery still reaches alice.
    assertEquals((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const first = await deploy(JSON.stringify({ version: "while-held" }));
    assertEquals(first.status, 202, first.text);
    assertEquals(
      (await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 })).body,
      "Deployed while-held",
    );
  } finally {
    for (const conn of held) {
      try {
        conn.close();
      } catch { /* closed by the agent */ }
    }
  }

  // Malformed bodies on a template route: refused with 415, nothing stored or sent.
  for (const body of ["not json", "[1,2,3]", '{"version":', "null", '"text"']) {
    assertEquals((await deploy(body)).status, 415, body);
  }
  assertEquals((await deploy(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).status, 415);
  // JSON nested too deeply to print again: an agent route takes it as text, a template refuses.
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  const deepCi = await send("/hooks/ci", deep, await signWebhook("github", CI_SECRET, deep));
  assertEquals(deepCi.status, 202, `stored, not a 503 the sender retries forever: ${deepCi.text}`);
  const deepAnswer = await alice.nextAnswer({ from: BOT, timeoutMs: 15_000 });
  assertTrue(deepAnswer.body?.startsWith("echo: ") === true, deepAnswer.body?.slice(0, 100));
  assertEquals((await deploy(`{"version":${deep}}`)).status, 415);

  // A flood: 300 forged requests at once, then 8 genuine ones against a rate of 5 a minute.
  const forged = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      send("/hooks/alert", `{"text":"forged ${i}"}`, {
        Authorization: "Bearer forged-token-0000000000",
      })),
  );
  assertEquals(forged.filter((answer) => answer.status === 401).length, 300);
  const genuine = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      send("/hooks/alert", `{"text":"flood ${i}"}`, {
        Authorization: `Bearer ${ALERT_TOKEN}`,
        "Idempotency-Key": `alert-${i}`,
      })),
  );
  assertEquals(genuine.filter((answer) => answer.status === 202).length, 5, "forgeries took none");
  const limited = genuine.filter((answer) => answer.status === 429);
  assertEquals(limited.length, 3);
  assertTrue(limited.every((answer) => Number(answer.headers.get("retry-after")) > 0));
  await eventually(
    "alice has the five alerts",
    () => botBodies(alice.events).filter((b) => b.startsWith("Alert: flood")).length >= 5,
    15_000,
  );
  await alice.expectSilence(BOT, 500, { withBody: true, since: alice.events.length });
  const got = botBodies(alice.events);
  assertEquals(got.filter((b) => b.startsWith("Alert")).length, 5);
  assertTrue(!got.some((b) => b.includes("forged")), "no forgery reached alice");
  assertEquals(got.filter((b) => b.startsWith("Deployed")), ["Deployed while-held"]);
  assertEquals((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  const log = agent.lines.events.join("\n");
  for (const secret of SECRETS) assertExcludes(log, secret, "a secret in the log");
});

Deno.test("security: connections held open until the agent runs out of file descriptors do not end it", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const port = freePort();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: routesToml(`127.0.0.1:${port}`),
    env: ENV,
  });
  await agent.waitForLog(/Listening for webhooks/);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  // A deployment's limit of open files, reached here with a hundred idle connections.
  let open = 0;
  for await (const _ of Deno.readDir(`/proc/${agent.pid}/fd`)) open++;
  const limit = open + 100;
  const prlimit = await new Deno.Command("prlimit", {
    args: ["--pid", String(agent.pid), `--nofile=${limit}:${limit}`],
  }).output();
  assertTrue(prlimit.success, new TextDecoder().decode(prlimit.stderr));

  // Connections that never send a request: Deno.serve keeps each open, with no timeout.
  const held: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 150; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
      if (conn === undefined) break;
      held.push(conn);
    }
    await agent.waitForLog(/The webhook listener stopped \(.*Too many open files/);
  } finally {
    for (const conn of held) conn.close();
  }
  // The attacker gone, the listener is back and a genuine delivery arrives.
  await agent.waitForLog(/Listening for webhooks again on/);
  const running = await Promise.race([agent.exited.then(() => false), Promise.resolve(true)]);
  assertTrue(running, "the agent is still running");
  const body = JSON.stringify({ text: "back" });
  const answer = await fetch(`http://127.0.0.1:${port}/hooks/alert`, {
    method: "POST",
    headers: { "content-type": "application/json", Authorization: `Bearer ${ALERT_TOKEN}` },
    body,
  });
  await answer.body?.cancel();
  assertEquals(answer.status, 202);
  assertEquals(
    (await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 })).body,
    "Alert: back",
  );
});
