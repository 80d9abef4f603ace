import assert from "node:assert/strict";
import { epochNow } from "./delivery_watcher.ts";
import { sendFromWorker } from "./webhook_senders.ts";

Deno.test("sendFromWorker(): each delivery's times are on this thread's clock, around its arrival", async () => {
  const arrivals = new Map<string, number>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    arrivals.set(await request.text(), epochNow());
    return new Response(null, { status: 202 });
  });
  try {
    const deliveries = Array.from({ length: 20 }, (_, i) => ({
      body: `delivery ${i}`,
      headers: { "content-type": "text/plain" },
    }));
    const url = `http://127.0.0.1:${server.addr.port}/hook`;
    const sent = await sendFromWorker(url, deliveries, { senders: 4 });
    assert.deepEqual(sent.statuses, deliveries.map(() => 202));
    deliveries.forEach(({ body }, i) => {
      const arrived = arrivals.get(body)!;
      // The handshake places the worker's clock within half its quickest round trip.
      assert.ok(sent.sentAt[i]! <= arrived + 5, `${body}: sent after it arrived`);
      assert.ok(arrived <= sent.answeredAt[i]! + 5, `${body}: answered before it arrived`);
    });
  } finally {
    await server.shutdown();
  }
});
