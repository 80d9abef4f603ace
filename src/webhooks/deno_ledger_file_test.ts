import assert from "node:assert/strict";
import { DeliveryLedger } from "./delivery_ledger.ts";
import { denoLedgerFile } from "./deno_ledger_file.ts";

Deno.test("denoLedgerFile() creates its folder, appends, rewrites and reads back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/webhooks/deliveries.jsonl`;
    const file = denoLedgerFile(path);
    assert.equal(await file.read(), null);
    const ledger = await DeliveryLedger.open(file, { maxPerRoute: 5 });
    for (let i = 1; i <= 1200; i++) ledger.remember("/a", `d-${i}`, `e-${i}`);
    // Rewritten (1000 lines, 5 kept), then appended to through a fresh handle.
    const lines = (await Deno.readTextFile(path)).split("\n").filter((line) => line !== "");
    assert.ok(lines.length <= 205, `${lines.length} lines`);
    const reopened = await DeliveryLedger.open(denoLedgerFile(path), { maxPerRoute: 5 });
    assert.equal(reopened.lookup("/a", "d-1200"), "e-1200");
    assert.equal(reopened.lookup("/a", "d-1195"), undefined);
    await assert.rejects(Deno.stat(`${path}.tmp`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
