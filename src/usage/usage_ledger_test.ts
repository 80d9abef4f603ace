import assert from "node:assert/strict";
import { memoryUsageFile } from "./usage_file.ts";
import { UsageLedger } from "./usage_ledger.ts";

const call = (conversation: string, model: string, input: number, output: number) => ({
  conversation,
  model,
  input_tokens: input,
  output_tokens: output,
});

Deno.test("UsageLedger sums by conversation, day and model, and reads its month back after a restart", async () => {
  let now = new Date("2026-12-01T10:00:00Z");
  const file = memoryUsageFile();
  const ledger = await UsageLedger.open(file, { now: () => now });
  await ledger.record(call("alice@x", "anthropic:m", 100, 20));
  await ledger.record({ ...call("alice@x", "ollama:l", 5, 5), purpose: "subagent" });
  await ledger.record({ ...call("alice@x", "anthropic:m", 10, 2), cache_read_tokens: 7 });
  await ledger.record(call("bob@x", "anthropic:m", 1, 1));
  now = new Date("2026-12-02T09:00:00Z");
  await ledger.record(call("alice@x", "anthropic:m", 50, 5));

  assert.deepEqual(
    ledger.day("alice@x"),
    new Map([["anthropic:m", {
      input: 50,
      output: 5,
      cache_read: 0,
      cache_write: 0,
    }]]),
  );
  const month = new Map([
    ["anthropic:m", { input: 160, output: 27, cache_read: 7, cache_write: 0 }],
    ["ollama:l", { input: 5, output: 5, cache_read: 0, cache_write: 0 }],
  ]);
  assert.deepEqual(ledger.month("alice@x"), month);
  assert.equal(ledger.day("alice@x", new Date("2026-12-01T23:59:59Z")).get("ollama:l")?.input, 5);

  const lines = file.files.get("2026-12")!.trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(lines.length, 5);
  assert.equal(lines[1].purpose, "subagent");
  assert.equal(lines[0].purpose, "turn");

  // A new process: the same totals from the file; a line cut short is skipped and warned about.
  file.files.set("2026-12", file.files.get("2026-12") + '{"ts":"2026-12-02T09:');
  const warnings: string[] = [];
  const again = await UsageLedger.open(file, { now: () => now, warn: (w) => warnings.push(w) });
  assert.deepEqual(again.month("alice@x"), month);
  assert.deepEqual(again.month("bob@x").get("anthropic:m")?.input, 1);
  assert.deepEqual(warnings, ["Usage ledger 2026-12: 1 unreadable lines"]);
});

Deno.test("UsageLedger starts a month empty, in a file of its own", async () => {
  let now = new Date("2026-12-31T23:59:00Z");
  const file = memoryUsageFile();
  const ledger = await UsageLedger.open(file, { now: () => now });
  await ledger.record(call("alice@x", "a:m", 100, 0));
  now = new Date("2027-01-01T00:00:30Z");
  assert.equal(ledger.month("alice@x").size, 0);
  assert.equal(ledger.day("alice@x").size, 0);
  await ledger.record(call("alice@x", "a:m", 3, 0));
  assert.equal(ledger.month("alice@x").get("a:m")?.input, 3);
  assert.deepEqual([...file.files.keys()], ["2026-12", "2027-01"]);
  const reopened = await UsageLedger.open(file, { now: () => now });
  assert.equal(reopened.month("alice@x").get("a:m")?.input, 3);
});

Deno.test("UsageLedger.record() warns and goes on when the disk refuses a line", async () => {
  const warnings: string[] = [];
  const ledger = await UsageLedger.open({
    append: () => Promise.reject(new Error("No space left on device")),
    read: () => Promise.resolve(undefined),
    close: () => {},
  }, { warn: (w) => warnings.push(w) });
  await ledger.record(call("alice@x", "a:m", 4, 4));
  assert.equal(ledger.day("alice@x").get("a:m")?.output, 4, "still counted against the quota");
  assert.deepEqual(warnings, ["Cannot write the usage ledger: No space left on device"]);
});
