import assert from "node:assert/strict";
import { silentLogger } from "../log/mod.ts";
import { deduplicatingSink } from "./deduplicating_sink.ts";
import { DeliveryLedger } from "./delivery_ledger.ts";
import { InMemoryLedgerFile } from "./in_memory_ledger_file.ts";
import type { WebhookDelivery } from "./webhook_delivery.ts";

let next = 0;
function delivery(deliveryId: string | null, route = "/hooks/ci"): WebhookDelivery {
  return {
    id: `event-${++next}`,
    route,
    to: "alice@localhost",
    mode: "agent",
    instructions: null,
    template: null,
    deliveryId,
    receivedAt: "2026-12-01T10:00:00.000Z",
    contentType: "application/json",
    size: 2,
    payload: { type: "json", value: {} },
  };
}

Deno.test("deduplicatingSink() records a delivery once and answers a retry with the first event's id", async () => {
  const recorded: WebhookDelivery[] = [];
  const deliver = deduplicatingSink(await DeliveryLedger.open(new InMemoryLedgerFile()), (d) => {
    recorded.push(d);
  });
  const first = delivery("d-1");
  assert.deepEqual(await deliver(first), { id: first.id, duplicate: false });
  assert.deepEqual(await deliver(delivery("d-1")), { id: first.id, duplicate: true });
  // The same id on another route is another delivery.
  const other = delivery("d-1", "/hooks/deploy");
  assert.deepEqual(await deliver(other), { id: other.id, duplicate: false });
  assert.deepEqual(recorded.map((d) => d.id), [first.id, other.id]);
});

Deno.test("deduplicatingSink() still knows a delivery after a restart", async () => {
  const file = new InMemoryLedgerFile();
  const before = deduplicatingSink(await DeliveryLedger.open(file), () => {});
  const first = delivery("d-1");
  await before(first);
  const recorded: WebhookDelivery[] = [];
  const after = deduplicatingSink(
    await DeliveryLedger.open(new InMemoryLedgerFile(file.text)),
    (d) => void recorded.push(d),
  );
  assert.deepEqual(await after(delivery("d-1")), { id: first.id, duplicate: true });
  assert.deepEqual(recorded, []);
});

Deno.test("deduplicatingSink() records a retry that arrives while the first is being stored once", async () => {
  const recorded: WebhookDelivery[] = [];
  let release = () => {};
  const stored = new Promise<void>((resolve) => release = resolve);
  const deliver = deduplicatingSink(
    await DeliveryLedger.open(new InMemoryLedgerFile()),
    async (d) => {
      recorded.push(d);
      await stored;
    },
  );
  const first = delivery("d-1");
  const answers = Promise.all([deliver(first), deliver(delivery("d-1")), deliver(delivery("d-1"))]);
  release();
  assert.deepEqual(await answers, [
    { id: first.id, duplicate: false },
    { id: first.id, duplicate: true },
    { id: first.id, duplicate: true },
  ]);
  assert.equal(recorded.length, 1);
});

Deno.test("deduplicatingSink() records every delivery that has no id", async () => {
  let count = 0;
  const deliver = deduplicatingSink(
    await DeliveryLedger.open(new InMemoryLedgerFile()),
    () => void count++,
  );
  assert.equal((await deliver(delivery(null))).duplicate, false);
  assert.equal((await deliver(delivery(null))).duplicate, false);
  assert.equal(count, 2);
});

Deno.test("deduplicatingSink() rejects when the delivery cannot be stored, and takes the retry", async () => {
  let full = true;
  const deliver = deduplicatingSink(
    await DeliveryLedger.open(new InMemoryLedgerFile()),
    () => {
      if (full) throw new Error("No space left on device");
    },
  );
  await assert.rejects(deliver(delivery("d-1")), { message: "No space left on device" });
  full = false;
  const retry = delivery("d-1");
  assert.deepEqual(await deliver(retry), { id: retry.id, duplicate: false });
});

Deno.test("deduplicatingSink() accepts a stored delivery whose id the ledger cannot write, and still knows its retry", async () => {
  const file = new InMemoryLedgerFile();
  const errors: string[] = [];
  const recorded: WebhookDelivery[] = [];
  const deliver = deduplicatingSink(
    await DeliveryLedger.open(file),
    (d) => void recorded.push(d),
    { log: { ...silentLogger(), error: (line: string) => void errors.push(line) } },
  );
  file.failWrites = new Error("No space left on device");
  const first = delivery("d-1");
  // Stored: it will reach the person, so the sender is not told to send it again.
  assert.deepEqual(await deliver(first), { id: first.id, duplicate: false });
  assert.deepEqual(await deliver(delivery("d-1")), { id: first.id, duplicate: true });
  assert.equal(recorded.length, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /stored, but its delivery id could not be written.*No space left/);
});
