import assert from "node:assert/strict";
import { cpuUsage, machineTicks, processTicks } from "./cpu_usage.ts";

Deno.test("processTicks() adds user and system time, whatever the command name holds", () => {
  const stat = "4242 (deno run) x) S 1 4242 4242 0 -1 4194304 99 0 0 0 " +
    "350 50 0 0 20 0 9 0 1263258 3133440 396 18446744073709551615";
  assert.equal(processTicks(stat), 400);
});

Deno.test("processTicks() refuses a line without CPU times", () => {
  assert.throws(() => processTicks("4242 (deno) S 1"), /No CPU times/);
});

Deno.test("machineTicks() counts idle and iowait as not busy", () => {
  const procStat = "cpu  100 5 20 800 10 1 2 3 0 0\ncpu0 50 2 10 400 5 0 1 1 0 0\n";
  assert.deepEqual(machineTicks(procStat), { busy: 131, total: 941 });
});

Deno.test("cpuUsage() gives cores per process and the machine's busy share", () => {
  const usage = cpuUsage(
    { at: 0, machine: { busy: 0, total: 0 }, processes: { agent: 100, prosody: 10 } },
    { at: 2000, machine: { busy: 300, total: 400 }, processes: { agent: 280, prosody: 70 } },
  );
  assert.deepEqual(usage.cores, { agent: 0.9, prosody: 0.3 });
  assert.equal(usage.machine_busy, 0.75);
});
