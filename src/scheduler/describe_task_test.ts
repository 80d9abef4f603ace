import { assertEquals } from "../../tests/support/assert.ts";
import { describeTask, inWords } from "./describe_task.ts";

Deno.test("inWords() gives the two largest units, rounded down", () => {
  assertEquals(inWords(0), "now");
  assertEquals(inWords(999), "now");
  assertEquals(inWords(1_000), "in 1 second");
  assertEquals(inWords(45_000), "in 45 seconds");
  assertEquals(inWords(125_000), "in 2 minutes 5 seconds");
  assertEquals(inWords(2 * 3_600_000 + 5 * 60_000 + 59_000), "in 2 hours 5 minutes");
  assertEquals(inWords(2 * 3_600_000 + 59_000), "in 2 hours");
  assertEquals(inWords(3 * 86_400_000 + 4 * 3_600_000 + 120_000), "in 3 days 4 hours");
});

Deno.test("describeTask() names the id, rule, kind, next run and text", () => {
  const now = new Date("2026-03-27T12:00:00Z");
  const task = {
    id: "k3j9x2ab",
    origin: "user" as const,
    conversation: "alice@example.org",
    kind: "prompt" as const,
    text: "Water the plants",
    rule: "every 1d",
    recurring: true,
    nextRun: "2026-03-28T12:00:00.000Z",
    created: now.toISOString(),
  };
  assertEquals(
    describeTask(task, now),
    'k3j9x2ab: every 1d, recurring; next 2026-03-28T12:00:00.000Z (in 1 day): "Water the plants"',
  );
  assertEquals(
    describeTask({ ...task, origin: "config", name: "water", thread: "t1", nextRun: null }, now),
    'k3j9x2ab: every 1d, recurring, set by the operator as "water", in thread t1; no further ' +
      'run: "Water the plants"',
  );
});
