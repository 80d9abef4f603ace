import assert from "node:assert/strict";
import { denoUsageFile } from "./usage_file.ts";
import { UsageLedger } from "./usage_ledger.ts";

/** The files under `dir` this process holds open, from `/proc/self/fd`. */
function openUnder(dir: string): string[] {
  const paths: string[] = [];
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${entry.name}`);
      if (target.startsWith(`${dir}/`)) paths.push(target);
    } catch {
      // The descriptor readDir itself used, closed meanwhile.
    }
  }
  return paths;
}

Deno.test("denoUsageFile() writes each month's file through one open handle, private to the user", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const usage = `${dir}/usage`;
    let now = new Date("2026-12-31T23:59:00Z");
    const ledger = await UsageLedger.open(denoUsageFile(usage), { now: () => now });
    const call = { conversation: "alice@x", model: "a:m", input_tokens: 10, output_tokens: 1 };
    await ledger.record(call);
    await ledger.record(call);
    assert.deepEqual(openUnder(dir), [`${usage}/2026-12.jsonl`]);
    now = new Date("2027-01-01T00:00:10Z");
    await ledger.record({ ...call, input_tokens: 3 });
    // Last month's file is let go of at the month change.
    assert.deepEqual(openUnder(dir), [`${usage}/2027-01.jsonl`]);
    await ledger.close();
    assert.deepEqual(openUnder(dir), []);

    assert.equal((await Deno.readTextFile(`${usage}/2026-12.jsonl`)).split("\n").length, 3);
    assert.equal(Deno.statSync(usage).mode! & 0o777, 0o700);
    assert.equal(Deno.statSync(`${usage}/2027-01.jsonl`).mode! & 0o777, 0o600);
    const reopened = await UsageLedger.open(denoUsageFile(usage), { now: () => now });
    assert.equal(reopened.month("alice@x").get("a:m")?.input, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("denoUsageFile() starts the month's file again when it was removed meanwhile", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    // Looking at every append (by default once a second: see AppendHandle's own tests).
    const file = denoUsageFile(dir, { recheckMs: 0 });
    await file.append("2026-12", "one\n");
    await Deno.remove(`${dir}/2026-12.jsonl`);
    await file.append("2026-12", "two\n");
    file.close();
    assert.equal(await file.read("2026-12"), "two\n");
    assert.equal(await file.read("2026-11"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a usage line a kill cut short does not take the next call's with it", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const now = new Date("2026-12-01T12:00:00Z");
    const call = { conversation: "alice@x", model: "a:m", input_tokens: 10, output_tokens: 1 };
    const first = await UsageLedger.open(denoUsageFile(dir), { now: () => now });
    await first.record(call);
    await first.close();
    // The process died in the middle of the second line.
    const path = `${dir}/2026-12.jsonl`;
    const whole = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, whole + whole.slice(0, 20));
    const second = await UsageLedger.open(denoUsageFile(dir), { now: () => now });
    await second.record({ ...call, input_tokens: 5 });
    await second.close();
    const reopened = await UsageLedger.open(denoUsageFile(dir), { now: () => now });
    assert.equal(reopened.month("alice@x").get("a:m")?.input, 15, "the torn line alone is lost");
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
