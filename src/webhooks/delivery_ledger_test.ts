import assert from "node:assert/strict";
import { DeliveryLedger } from "./delivery_ledger.ts";
import { InMemoryLedgerFile } from "./in_memory_ledger_file.ts";

Deno.test("DeliveryLedger remembers delivery ids per route, across a reopen", async () => {
  const file = new InMemoryLedgerFile();
  const ledger = await DeliveryLedger.open(file);
  assert.equal(ledger.lookup("/hooks/ci", "d-1"), undefined);
  ledger.remember("/hooks/ci", "d-1", "event-1");
  assert.equal(ledger.lookup("/hooks/ci", "d-1"), "event-1");
  assert.equal(ledger.lookup("/hooks/deploy", "d-1"), undefined);
  const reopened = await DeliveryLedger.open(new InMemoryLedgerFile(file.text));
  assert.equal(reopened.lookup("/hooks/ci", "d-1"), "event-1");
  assert.equal(reopened.size, 1);
});

Deno.test("DeliveryLedger skips a line torn by a crash and keeps the others", async () => {
  const text = '{"route":"/a","delivery":"d-1","event":"e-1"}\n{"route":"/a","deliv';
  const ledger = await DeliveryLedger.open(new InMemoryLedgerFile(text));
  assert.equal(ledger.lookup("/a", "d-1"), "e-1");
  assert.equal(ledger.size, 1);
});

Deno.test("DeliveryLedger skips edited lines that are JSON but not an entry", async () => {
  const text = ["null", "42", '"text"', "[1]", '{"route":"/a","delivery":{},"event":"e"}']
    .concat('{"route":"/a","delivery":"d-1","event":"e-1"}').join("\n");
  const ledger = await DeliveryLedger.open(new InMemoryLedgerFile(text));
  assert.equal(ledger.lookup("/a", "d-1"), "e-1");
  assert.equal(ledger.size, 1);
});

Deno.test("DeliveryLedger forgets a route's oldest ids past maxPerRoute, and only that route's", async () => {
  const ledger = await DeliveryLedger.open(new InMemoryLedgerFile(), { maxPerRoute: 3 });
  ledger.remember("/b", "other", "e-b");
  for (let i = 1; i <= 5; i++) ledger.remember("/a", `d-${i}`, `e-${i}`);
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((i) => ledger.lookup("/a", `d-${i}`)),
    [undefined, undefined, "e-3", "e-4", "e-5"],
  );
  assert.equal(ledger.lookup("/b", "other"), "e-b");
});

Deno.test("DeliveryLedger rewrites its file with the ids it keeps once the file has grown", async () => {
  const file = new InMemoryLedgerFile();
  const ledger = await DeliveryLedger.open(file, { maxPerRoute: 10 });
  for (let i = 1; i <= 2500; i++) ledger.remember("/a", `d-${i}`, `e-${i}`);
  const lines = file.text!.split("\n").filter((line) => line !== "");
  assert.ok(lines.length < 1000, `${lines.length} lines`);
  const reopened = await DeliveryLedger.open(new InMemoryLedgerFile(file.text), {
    maxPerRoute: 10,
  });
  assert.equal(reopened.lookup("/a", "d-2500"), "e-2500");
  assert.equal(reopened.lookup("/a", "d-2491"), "e-2491");
  assert.equal(reopened.lookup("/a", "d-2490"), undefined);
});

Deno.test("DeliveryLedger refuses a bound that is not a positive integer", async () => {
  await assert.rejects(DeliveryLedger.open(new InMemoryLedgerFile(), { maxPerRoute: 0 }), {
    name: "RangeError",
    message: "Expected a positive integer for maxPerRoute, got 0",
  });
});
