/**
 * How many webhook deliveries a second the listener takes — signature checked, event written
 * to the inbox and its delivery id to the ledger (both on disk, in a temporary data
 * directory), 202 answered — in-process through `app.request`, and over HTTP from 200
 * concurrent senders. Over HTTP the senders run in a worker (another thread, on a machine of
 * two cores the other one). Signatures are computed before the clock starts (that is the
 * sender's work).
 *
 * `deno run -A scripts/bench/webhooks.ts [--quick]`
 *
 * @module
 */
import { denoInboxFile, Inbox } from "../../src/memory/mod.ts";
import {
  deduplicatingSink,
  DeliveryLedger,
  denoLedgerFile,
  serveWebhooks,
  signWebhook,
  webhookApp,
  type WebhookDelivery,
} from "../../src/webhooks/mod.ts";
import type { WebhooksConfig } from "../../src/config/mod.ts";
import { summarize } from "./stats.ts";
import { sendFromWorker, type SignedDelivery } from "./webhook_senders.ts";

const SECRET = "bench-secret-0123456789";
const SENDERS = 200;

const CONFIG: WebhooksConfig = {
  listen: "127.0.0.1:0",
  max_body_kb: 1024,
  routes: [{
    path: "/hooks/ci",
    secret: SECRET,
    signature: "github",
    to: "alice@localhost",
    mode: "agent",
    instructions: "Summarise the build result in one line.",
    rate_per_minute: 60_000,
  }],
};

async function signedDeliveries(count: number, tag: string): Promise<SignedDelivery[]> {
  const signed: SignedDelivery[] = [];
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      status: i % 7 === 0 ? "failed" : "passed",
      branch: "main",
      commit: crypto.randomUUID(),
      run: i,
      url: `https://ci.example.org/runs/${i}`,
    });
    const headers = await signWebhook("github", SECRET, body, { deliveryId: `${tag}-${i}` });
    signed.push({ body, headers: { ...headers, "Content-Type": "application/json" } });
  }
  return signed;
}

async function openApp(dir: string) {
  const inbox = new Inbox<{ type: "webhook"; delivery: WebhookDelivery }>(
    denoInboxFile(`${dir}/inbox.jsonl`),
  );
  await inbox.open();
  const ledger = await DeliveryLedger.open(denoLedgerFile(`${dir}/webhooks/deliveries.jsonl`));
  return webhookApp(CONFIG, {
    deliver: deduplicatingSink(ledger, (delivery) => {
      inbox.record({ type: "webhook", delivery }, new Date(delivery.receivedAt));
    }),
    health: () => ({ xmpp: "online", uptimeSecs: 0 }),
    metrics: () => ({
      messagesIn: 0,
      messagesOut: 0,
      llmCalls: 0,
      llmTokensIn: 0,
      llmTokensOut: 0,
      errors: 0,
      queueDepth: 0,
    }),
  });
}

/** Sends every delivery through `send` from `SENDERS` concurrent senders. */
async function run(
  deliveries: SignedDelivery[],
  send: (delivery: SignedDelivery) => Promise<number>,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++]!;
      const at = performance.now();
      const status = await send(delivery);
      if (status !== 202) throw new Error(`Expected 202, got ${status}`);
      latencies.push(performance.now() - at);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const summary = summarize(latencies);
  return { perSecond: deliveries.length / seconds, p50: summary.p50, p99: summary.p99 };
}

/** Runs the HTTP senders on another thread; every delivery must get its 202. */
async function overHttp(url: string, deliveries: SignedDelivery[]) {
  const result = await sendFromWorker(url, deliveries, { senders: SENDERS });
  const refused = result.statuses.find((status) => status !== 202);
  if (refused !== undefined) throw new Error(`Expected 202, got ${refused}`);
  const summary = summarize(result.answeredAt.map((at, i) => at - result.sentAt[i]!));
  return { perSecond: deliveries.length / result.seconds, p50: summary.p50, p99: summary.p99 };
}

async function main(): Promise<void> {
  const quick = Deno.args.includes("--quick");
  const count = quick ? 2_000 : 20_000;
  const dir = await Deno.makeTempDir({ prefix: "fluux-webhook-bench-" });
  try {
    const app = await openApp(dir);
    const inProcessSend = async ({ body, headers }: SignedDelivery) => {
      const response = await app.request("/hooks/ci", { method: "POST", body, headers });
      await response.body?.cancel();
      return response.status;
    };
    // Compiles the hot paths, so the first senders do not wait for the JIT.
    await run(await signedDeliveries(1_000, "warm-up"), inProcessSend);
    const inProcess = await run(await signedDeliveries(count, "in"), inProcessSend);
    const server = serveWebhooks(app, { listen: CONFIG.listen });
    const url = `http://127.0.0.1:${server.port}/hooks/ci`;
    let http;
    try {
      http = await overHttp(url, await signedDeliveries(count, "http"));
    } finally {
      await server.shutdown();
    }
    // The floor: the same senders against a server that answers 202 and does nothing else.
    const floor = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
      await request.body?.cancel();
      return new Response('{"id":"x"}', { status: 202 });
    });
    let overFloor;
    try {
      overFloor = await overHttp(
        `http://127.0.0.1:${floor.addr.port}/hooks/ci`,
        await signedDeliveries(count, "floor"),
      );
    } finally {
      await floor.shutdown();
    }
    const inboxBytes = (await Deno.stat(`${dir}/inbox.jsonl`)).size;
    const row = (name: string, r: typeof inProcess) =>
      `${name.padEnd(28)} ${r.perSecond.toFixed(0).padStart(8)}/s   p50 ${r.p50.toFixed(2)} ms` +
      `   p99 ${r.p99.toFixed(2)} ms`;
    console.log(
      `Webhook deliveries (${count} each, ${SENDERS} concurrent senders, github scheme):`,
    );
    console.log(row("in-process (app.request)", inProcess));
    console.log(row("over HTTP (Deno.serve)", http));
    console.log(row("HTTP floor (202, no work)", overFloor));
    console.log(`inbox written: ${(inboxBytes / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
