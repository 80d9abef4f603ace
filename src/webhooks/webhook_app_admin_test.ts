// /healthz, /status and /metrics: who may read them, and what they say.
import assert from "node:assert/strict";
import { ADMIN_TOKEN, ROUTES, signedPost, testBench, testConfig } from "./_testing.ts";

const LOOPBACK = { remoteAddress: "127.0.0.1" };
const REMOTE = { remoteAddress: "203.0.113.7" };

Deno.test("webhookApp() answers /healthz 200 when XMPP is online and 503 otherwise, to anyone", async () => {
  const { app, health } = await testBench();
  const online = await app.request("/healthz", {}, REMOTE);
  assert.equal(online.status, 200);
  assert.deepEqual(await online.json(), { xmpp: "online", uptime_secs: 42 });
  health.xmpp = "offline";
  const offline = await app.request("/healthz", {}, REMOTE);
  assert.equal(offline.status, 503);
  assert.deepEqual(await offline.json(), { xmpp: "offline", uptime_secs: 42 });
});

Deno.test("webhookApp() shows /status and /metrics to a loopback peer only when there is no admin token", async () => {
  const { app } = await testBench();
  for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.8.9.10"]) {
    const response = await app.request("/status", {}, { remoteAddress: address });
    assert.equal(response.status, 200, address);
  }
  for (const env of [REMOTE, { remoteAddress: "10.0.0.2" }, {}, undefined]) {
    const response = await app.request("/metrics", {}, env);
    assert.equal(response.status, 403, JSON.stringify(env));
    assert.deepEqual(await response.json(), {
      error: "Only from loopback (no admin_token is configured)",
    });
  }
});

Deno.test("webhookApp() shows /status and /metrics to a remote peer with the admin token only", async () => {
  const { app } = await testBench(testConfig({ admin_token: ADMIN_TOKEN }));
  for (const path of ["/status", "/metrics"]) {
    const none = await app.request(path, {}, REMOTE);
    assert.equal(none.status, 401, path);
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="fluux-agent"');
    const wrong = await app.request(path, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}x` },
    }, REMOTE);
    assert.equal(wrong.status, 401, path);
    const right = await app.request(path, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    }, REMOTE);
    assert.equal(right.status, 200, path);
  }
  assert.equal((await app.request("/status", {}, LOOPBACK)).status, 200);
});

Deno.test("webhookApp() /status reports the agent's counters and each route's answers", async () => {
  const { app } = await testBench();
  await app.request(ROUTES.github.path, await signedPost("github", "{}", { deliveryId: "d-1" }));
  await app.request(ROUTES.github.path, await signedPost("github", "{}", { deliveryId: "d-1" }));
  await app.request(ROUTES.github.path, { method: "POST", body: "{}" });
  await app.request("/nowhere", { method: "POST" });
  const response = await app.request("/status", {}, LOOPBACK);
  assert.deepEqual(await response.json(), {
    xmpp: "online",
    uptime_secs: 42,
    messages_in: 12,
    messages_out: 10,
    llm_calls: 9,
    llm_tokens_in: 1234,
    llm_tokens_out: 56,
    errors: 1,
    queue_depth: 3,
    webhooks: {
      listen: "127.0.0.1:8787",
      routes: [
        {
          path: "/hooks/ci",
          signature: "github",
          mode: "agent",
          to: "alice@localhost",
          answers: { "200": 1, "202": 1, "401": 1 },
        },
        {
          path: "/hooks/deploy",
          signature: "standard",
          mode: "notify",
          to: "dev@conference.localhost",
          answers: {},
        },
        {
          path: "/hooks/alert",
          signature: "bearer",
          mode: "agent",
          to: "alice@localhost",
          answers: {},
        },
      ],
      unknown_paths: 1,
    },
  });
});

Deno.test("webhookApp() /metrics speaks the Prometheus text format", async () => {
  const { app } = await testBench();
  await app.request(ROUTES.github.path, await signedPost("github", "{}"));
  await app.request(ROUTES.bearer.path, { method: "POST", body: "{}" });
  const response = await app.request("/metrics", {}, LOOPBACK);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await response.text();
  const samples = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
  assert.deepEqual(samples, [
    "fluux_xmpp_online 1",
    "fluux_uptime_seconds 42",
    "fluux_messages_received_total 12",
    "fluux_messages_sent_total 10",
    "fluux_llm_calls_total 9",
    'fluux_llm_tokens_total{direction="input"} 1234',
    'fluux_llm_tokens_total{direction="output"} 56',
    "fluux_errors_total 1",
    "fluux_queue_depth 3",
    'fluux_webhook_deliveries_total{route="/hooks/alert",status="401"} 1',
    'fluux_webhook_deliveries_total{route="/hooks/ci",status="202"} 1',
  ]);
  assert.match(text, /^# TYPE fluux_webhook_deliveries_total counter$/m);
  assert.match(text, /^# TYPE fluux_queue_depth gauge$/m);
  assert.ok(text.endsWith("\n"));
});
