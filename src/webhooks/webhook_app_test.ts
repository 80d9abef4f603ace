import assert from "node:assert/strict";
import { GITHUB_SECRET, ROUTES, signedPost, START, testBench, testConfig } from "./_testing.ts";

const BUILD = JSON.stringify({ status: "failed", branch: "main" });

Deno.test("webhookApp() answers 202 with the event id once a signed delivery is stored", async () => {
  const { app, stored, lines } = await testBench();
  const response = await app.request(
    ROUTES.github.path,
    await signedPost("github", BUILD, { deliveryId: "d-1" }),
  );
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { id: "event-1" });
  assert.deepEqual(stored, [{
    id: "event-1",
    route: "/hooks/ci",
    to: "alice@localhost",
    mode: "agent",
    instructions: "Summarise the build result in one line.",
    template: null,
    deliveryId: "d-1",
    receivedAt: new Date(START).toISOString(),
    contentType: "application/json",
    size: BUILD.length,
    payload: { type: "json", value: { status: "failed", branch: "main" } },
  }]);
  assert.deepEqual(lines.map((line) => line.replace(/^\S+ /, "")), [
    `INFO  webhooks: Webhook /hooks/ci: 202 stored as event event-1 for alice@localhost (agent), ` +
    `delivery "d-1", ${BUILD.length} bytes`,
  ]);
});

Deno.test("webhookApp() answers 202 only after deliver() has resolved", async () => {
  let release = () => {};
  const onDisk = new Promise<void>((resolve) => release = resolve);
  let answered = false;
  const { app } = await testBench(testConfig(), {
    deliver: async (delivery) => {
      await onDisk;
      return { id: delivery.id, duplicate: false };
    },
  });
  const answer = Promise.resolve(app.request(ROUTES.github.path, await signedPost("github", BUILD)))
    .then((response) => {
      answered = true;
      return response;
    });
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(answered, false);
  release();
  assert.equal((await answer).status, 202);
});

Deno.test("webhookApp() delivers a retry of the same delivery id once and answers it 200", async () => {
  const { app, stored } = await testBench();
  const first = await app.request(
    ROUTES.github.path,
    await signedPost("github", BUILD, { deliveryId: "d-1" }),
  );
  assert.equal(first.status, 202);
  const retry = await app.request(
    ROUTES.github.path,
    await signedPost("github", BUILD, { deliveryId: "d-1" }),
  );
  assert.equal(retry.status, 200);
  assert.deepEqual(await retry.json(), { id: "event-1", duplicate: true });
  const other = await app.request(
    ROUTES.github.path,
    await signedPost("github", BUILD, { deliveryId: "d-2" }),
  );
  assert.equal(other.status, 202);
  assert.deepEqual(stored.map((delivery) => delivery.deliveryId), ["d-1", "d-2"]);
});

Deno.test("webhookApp() refuses a tampered GitHub body with 401, stores nothing and logs no body or signature", async () => {
  const { app, stored, lines } = await testBench();
  const init = await signedPost("github", BUILD, { deliveryId: "d-1" });
  const tampered = { ...init, body: BUILD.replace("failed", "passed") };
  const response = await app.request(ROUTES.github.path, tampered);
  assert.equal(response.status, 401);
  assert.deepEqual(await response.json(), { error: "Invalid or missing signature" });
  assert.equal(stored.length, 0);
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /WARN {2}webhooks: Webhook \/hooks\/ci: 401 refused: X-Hub-Signature-256 does not match, delivery none, \d+ bytes$/,
  );
  const signature = (init.headers as Record<string, string>)["X-Hub-Signature-256"]!;
  for (const line of lines) {
    assert.ok(!line.includes("passed") && !line.includes(signature.slice(7)));
    assert.ok(!line.includes(GITHUB_SECRET));
  }
  const unsigned = await app.request(ROUTES.github.path, { method: "POST", body: BUILD });
  assert.equal(unsigned.status, 401);
  assert.equal(stored.length, 0);
});

Deno.test("webhookApp() refuses a standard delivery whose timestamp is over 5 minutes old", async () => {
  const { app, stored, clock, lines } = await testBench();
  const body = JSON.stringify({ version: "1.2.3", env: "prod" });
  const init = await signedPost("standard", body, { deliveryId: "msg_1", now: START });
  clock.now = START + 5 * 60_000 + 1000;
  const stale = await app.request(ROUTES.standard.path, init);
  assert.equal(stale.status, 401);
  assert.equal(stored.length, 0);
  assert.match(lines[0]!, /401 refused: webhook-timestamp is 301 s away from now/);
  const fresh = await app.request(
    ROUTES.standard.path,
    await signedPost("standard", body, { deliveryId: "msg_1", now: clock.now }),
  );
  assert.equal(fresh.status, 202);
  assert.equal(stored[0]?.deliveryId, "msg_1");
  assert.equal(stored[0]?.template, "Deployed {{version}} to {{env}}");
});

Deno.test("webhookApp() takes the right bearer token only", async () => {
  const { app, stored } = await testBench();
  const wrong = await app.request(ROUTES.bearer.path, {
    method: "POST",
    body: "{}",
    headers: { Authorization: "Bearer not-the-token-0123456789" },
  });
  assert.equal(wrong.status, 401);
  assert.equal(stored.length, 0);
  const right = await app.request(ROUTES.bearer.path, await signedPost("bearer", '{"cpu": 97}'));
  assert.equal(right.status, 202);
  assert.equal(stored[0]?.deliveryId, null);
});

Deno.test("webhookApp() answers 404 for an unknown path and 405 for another method", async () => {
  const { app, stored } = await testBench();
  const unknown = await app.request("/hooks/other", await signedPost("github", BUILD));
  assert.equal(unknown.status, 404);
  assert.equal((await app.request("/")).status, 404);
  const get = await app.request(ROUTES.github.path);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  const put = await app.request(ROUTES.github.path, {
    ...(await signedPost("github", BUILD)),
    method: "PUT",
  });
  assert.equal(put.status, 405);
  assert.equal((await app.request("/healthz", { method: "POST" })).status, 405);
  assert.equal(stored.length, 0);
});

Deno.test("webhookApp() refuses a body over max_body_kb by its Content-Length without reading it", async () => {
  const { app, stored } = await testBench();
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 1024;
      controller.enqueue(new Uint8Array(1024));
    },
  });
  const response = await app.request(ROUTES.github.path, {
    ...(await signedPost("github", BUILD)),
    body,
    headers: { "Content-Length": String(4 * 1024 + 1) },
    duplex: "half",
  } as RequestInit);
  assert.equal(response.status, 413);
  assert.deepEqual(await response.json(), { error: "The body is larger than 4 KiB" });
  // What the stream queued on its own before anyone read it.
  assert.ok(pulled <= 1024, `${pulled} bytes pulled`);
  assert.equal(stored.length, 0);
});

Deno.test("webhookApp() stops reading a body without Content-Length at the limit", async () => {
  const { app, stored, lines } = await testBench();
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 1000;
      controller.enqueue(new Uint8Array(1000).fill(0x61));
    },
  });
  const response = await app.request(ROUTES.github.path, {
    method: "POST",
    body: endless,
    duplex: "half",
  } as RequestInit);
  assert.equal(response.status, 413);
  assert.ok(pulled <= 6000, `${pulled} bytes pulled`);
  assert.equal(stored.length, 0);
  assert.match(lines[0]!, /413 too large \(read so far\), delivery none, 5000 bytes$/);
  // Exactly the limit is accepted.
  const full = "a".repeat(4 * 1024);
  const exact = await app.request(ROUTES.github.path, await signedPost("github", full));
  assert.equal(exact.status, 202);
});

Deno.test("webhookApp() answers 415 when a template's fields need a JSON object and the body is not one", async () => {
  const config = testConfig();
  config.routes[1] = { ...config.routes[1]!, rate_per_minute: 60 };
  const { app, stored } = await testBench(config);
  for (const body of ["version=1.2.3", "[1, 2]", '"1.2.3"', ""]) {
    const response = await app.request(ROUTES.standard.path, await signedPost("standard", body));
    assert.equal(response.status, 415, body);
    assert.deepEqual(await response.json(), {
      error: "The body must be a JSON object: the route's template uses its fields",
    });
  }
  assert.equal(stored.length, 0);
});

Deno.test("webhookApp() keeps a body that is not JSON as text on an agent route, and refuses one not UTF-8", async () => {
  const { app, stored } = await testBench();
  const text = await app.request(
    ROUTES.github.path,
    await signedPost("github", "build 42 failed", { headers: { "Content-Type": "text/plain" } }),
  );
  assert.equal(text.status, 202);
  assert.deepEqual(stored[0]?.payload, { type: "text", text: "build 42 failed" });
  assert.equal(stored[0]?.contentType, "text/plain");
  const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x41]);
  const init = await signedPost("bearer", "");
  const response = await app.request(ROUTES.bearer.path, { ...init, body: binary });
  assert.equal(response.status, 415);
  assert.deepEqual(await response.json(), { error: "The body must be UTF-8 text" });
  assert.equal(stored.length, 1);
});

Deno.test("webhookApp() answers 429 past the route's rate, counting only verified deliveries", async () => {
  const { app, stored, clock } = await testBench();
  const post = async () =>
    await app.request(
      ROUTES.standard.path,
      await signedPost("standard", '{"version":"1","env":"prod"}', { now: clock.now }),
    );
  // Refused senders do not use up the route's rate.
  for (let i = 0; i < 5; i++) {
    const forged = await app.request(ROUTES.standard.path, { method: "POST", body: "{}" });
    assert.equal(forged.status, 401);
  }
  assert.equal((await post()).status, 202);
  assert.equal((await post()).status, 202);
  const over = await post();
  assert.equal(over.status, 429);
  assert.equal(over.headers.get("retry-after"), "30");
  assert.equal(stored.length, 2);
  clock.now += 30_000;
  assert.equal((await post()).status, 202);
  // Each route has its own rate.
  assert.equal(
    (await app.request(ROUTES.github.path, await signedPost("github", BUILD))).status,
    202,
  );
});

Deno.test("webhookApp() answers 503 when the event cannot be stored, so the sender retries", async () => {
  const { app, lines } = await testBench(testConfig(), {
    deliver: () => Promise.reject(new Error("No space left on device (os error 28)")),
  });
  const response = await app.request(
    ROUTES.github.path,
    await signedPost("github", BUILD, { deliveryId: "d-1" }),
  );
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "30");
  assert.match(
    lines[0]!,
    /ERROR webhooks: Webhook \/hooks\/ci: 503 not stored: No space left on device/,
  );
});

Deno.test("webhookApp() answers 408 to a body that does not arrive in time", async () => {
  const { app, stored, lines } = await testBench(testConfig(), { bodyTimeoutMs: 1 });
  const stalled = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"status":'));
    },
  });
  const response = await app.request(ROUTES.github.path, {
    ...(await signedPost("github", BUILD)),
    body: stalled,
    duplex: "half",
  } as RequestInit);
  assert.equal(response.status, 408);
  assert.equal(stored.length, 0);
  assert.match(lines[0]!, /408 too slow, delivery none, 10 bytes$/);
});

Deno.test("webhookApp() answers 503 to a body that would pass the memory budget of bodies in hand", async () => {
  const { app, stored } = await testBench(testConfig(), { maxPendingBodyBytes: 40 });
  let finish = () => {};
  const slow = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(" ".repeat(30)));
      finish = () => controller.close();
    },
  });
  const firstInit = { ...(await signedPost("github", " ".repeat(30))), body: slow, duplex: "half" };
  const secondInit = await signedPost("github", BUILD);
  const first = app.request(ROUTES.github.path, firstInit as RequestInit);
  // Lets the first request take its 30 bytes.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  const second = await app.request(ROUTES.github.path, secondInit);
  assert.equal(second.status, 503);
  assert.equal(second.headers.get("retry-after"), "5");
  finish();
  assert.equal((await first).status, 202);
  // The budget is given back once a request is answered.
  const third = await app.request(ROUTES.github.path, await signedPost("github", BUILD));
  assert.equal(third.status, 202);
  assert.equal(stored.length, 2);
});
