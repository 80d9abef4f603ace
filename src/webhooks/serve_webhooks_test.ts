// End to end over real HTTP: Deno.serve, a real fetch, the ledger and the inbox on disk.
import assert from "node:assert/strict";
import { denoInboxFile, Inbox } from "../memory/mod.ts";
import { deduplicatingSink } from "./deduplicating_sink.ts";
import { DeliveryLedger } from "./delivery_ledger.ts";
import { denoLedgerFile } from "./deno_ledger_file.ts";
import { serveWebhooks, type WebhookServer } from "./serve_webhooks.ts";
import { signWebhook } from "./sign_webhook.ts";
import { webhookApp } from "./webhook_app.ts";
import type { WebhookDelivery } from "./webhook_delivery.ts";
import { GITHUB_SECRET, METRICS, testConfig } from "./_testing.ts";

interface Event {
  type: "webhook";
  delivery: WebhookDelivery;
}

/** A listener whose deliveries go to an inbox file under `dir`, as the agent's do. */
async function start(dir: string): Promise<{ server: WebhookServer; url: string }> {
  const inbox = new Inbox<Event>(denoInboxFile(`${dir}/inbox.jsonl`));
  await inbox.open();
  const ledger = await DeliveryLedger.open(denoLedgerFile(`${dir}/webhooks/deliveries.jsonl`));
  const app = webhookApp(testConfig(), {
    deliver: deduplicatingSink(ledger, (delivery) => {
      inbox.record({ type: "webhook", delivery }, new Date(delivery.receivedAt));
    }),
    health: () => ({ xmpp: "online", uptimeSecs: 1 }),
    metrics: () => METRICS,
  });
  const server = serveWebhooks(app, { listen: "127.0.0.1:0" });
  return { server, url: `http://127.0.0.1:${server.port}` };
}

/** What a fresh start would find in the inbox. */
async function leftInInbox(dir: string): Promise<WebhookDelivery[]> {
  const inbox = new Inbox<Event>(denoInboxFile(`${dir}/inbox.jsonl`));
  return (await inbox.open()).map((record) => record.event.delivery);
}

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${url}/hooks/ci`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });
  return { status: response.status, json: await response.json() };
}

Deno.test("serveWebhooks() takes a signed delivery over HTTP into the inbox on disk before its 202", async () => {
  const dir = await Deno.makeTempDir();
  let running: WebhookServer | undefined;
  try {
    const { server, url } = await start(dir);
    running = server;
    const body = JSON.stringify({ status: "failed", branch: "main" });
    const signed = await signWebhook("github", GITHUB_SECRET, body, { deliveryId: "d-1" });
    const answer = await post(url, body, signed);
    assert.equal(answer.status, 202);
    // Read from disk, as the next start would, while this server still runs.
    const left = await leftInInbox(dir);
    assert.deepEqual(left.map((d) => [d.id, d.deliveryId, d.payload]), [
      [answer.json.id, "d-1", { type: "json", value: { status: "failed", branch: "main" } }],
    ]);
    await server.shutdown();
    running = undefined;

    // After a restart the sender's retry is recognised: 200, nothing new in the inbox.
    const again = await start(dir);
    running = again.server;
    const retry = await post(again.url, body, signed);
    assert.deepEqual(retry, { status: 200, json: { id: answer.json.id, duplicate: true } });
    assert.equal((await leftInInbox(dir)).length, 1);
  } finally {
    await running?.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveWebhooks() answers a wrong signature 401 over HTTP and nothing reaches the inbox", async () => {
  const dir = await Deno.makeTempDir();
  const { server, url } = await start(dir);
  try {
    const body = JSON.stringify({ status: "passed" });
    const signed = await signWebhook("github", "not-the-secret-0123456789", body);
    assert.deepEqual(await post(url, body, signed), {
      status: 401,
      json: { error: "Invalid or missing signature" },
    });
    assert.deepEqual(await leftInInbox(dir), []);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveWebhooks() gives the app the peer's address, and refuses large bodies over HTTP", async () => {
  const dir = await Deno.makeTempDir();
  const { server, url } = await start(dir);
  try {
    const response = await fetch(`${url}/status`);
    assert.equal(response.status, 200);
    assert.equal((await response.json()).xmpp, "online");
    const tooLarge = await fetch(`${url}/hooks/ci`, { method: "POST", body: "x".repeat(5000) });
    assert.equal(tooLarge.status, 413);
    await tooLarge.body?.cancel();
    // A chunked body (no Content-Length) is refused too, once it passes 4 KiB.
    let chunks = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++chunks > 20) controller.close();
        else controller.enqueue(new Uint8Array(1000).fill(0x78));
      },
    });
    const streamed = await fetch(`${url}/hooks/ci`, {
      method: "POST",
      body: chunked,
      duplex: "half",
    } as RequestInit);
    assert.equal(streamed.status, 413);
    await streamed.body?.cancel();
    assert.deepEqual(await leftInInbox(dir), []);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveWebhooks() refuses a listen address that is not host:port", () => {
  const app = webhookApp(testConfig(), {
    deliver: () => Promise.reject(new Error("unused")),
    health: () => ({ xmpp: "online", uptimeSecs: 1 }),
    metrics: () => METRICS,
  });
  assert.throws(() => serveWebhooks(app, { listen: "8787" }), {
    name: "TypeError",
    message: 'Expected a listen address "host:port", got "8787"',
  });
});
