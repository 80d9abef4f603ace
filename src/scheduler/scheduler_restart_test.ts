import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import type { OperatorSchedule } from "./_entry.ts";
import { memoryScheduleStore } from "./schedule_store.ts";
import { type Harness, startScheduler, times } from "./_testing.ts";

const ALICE = "alice@example.org";
const WATER: OperatorSchedule = { name: "water", to: ALICE, every: "30m", text: "Drink water" };

/** Stops a run, lets `downMs` pass with no agent, and starts again on the same store. */
async function restart(
  run: Harness,
  downMs: number,
  options: Parameters<typeof startScheduler>[0] = {},
): Promise<Harness> {
  await run.scheduler.stop();
  await run.clock.advance(downMs);
  return await startScheduler(options, run);
}

Deno.test("A user's task survives a restart and fires in its conversation", async () => {
  const first = await startScheduler();
  const task = await first.scheduler.add({
    conversation: ALICE,
    thread: "t1",
    createdBy: ALICE,
    text: "Call the dentist",
    when: { inSeconds: 3600 },
  });
  const weekly = await first.scheduler.add({
    conversation: ALICE,
    text: "Weekly review",
    when: { cron: "0 9 * * 1", tz: "Europe/Paris" },
  });
  const second = await restart(first, 10 * 60_000);
  assertEquals(second.scheduler.list(ALICE).map((t) => t.id), [task.id, weekly.id]);
  await second.clock.advanceTo("2026-03-30T12:00:00Z");
  assertEquals(
    second.fired.map((f) => [f.id, f.conversation, f.thread, f.text, f.scheduledAt, f.catchUp]),
    [
      [task.id, ALICE, "t1", "Call the dentist", "2026-03-27T13:00:00.000Z", false],
      [weekly.id, ALICE, undefined, "Weekly review", "2026-03-30T07:00:00.000Z", false],
    ],
  );
  assertEquals(first.fired, []);
  await second.scheduler.stop();
});

Deno.test("A run missed while down, within the grace, runs once at start as a catch-up", async () => {
  const first = await startScheduler({ schedules: [WATER] });
  await first.clock.advance(20 * 60_000);
  // Down from 12:20 to 13:05: the 12:30 and 13:00 runs were missed; only 13:00 is owed.
  const second = await restart(first, 45 * 60_000, { schedules: [WATER] });
  assertEquals(second.fired.length, 1);
  assertEquals(second.fired[0]?.catchUp, true);
  assertEquals(second.fired[0]?.scheduledAt, "2026-03-27T13:00:00.000Z");
  assertEquals(second.fired[0]?.latenessMs, 5 * 60_000);
  await second.clock.advance(30 * 60_000);
  assertEquals(times(second.fired).slice(1), ["2026-03-27T13:30:00.000Z"]);
  assertEquals(second.fired[1]?.catchUp, false);
  await second.scheduler.stop();
});

Deno.test("Missed runs are never a burst: a frequent schedule down for long runs once", async () => {
  const every = { ...WATER, every: "1m" };
  const first = await startScheduler({ schedules: [every] });
  await first.clock.advance(90_000);
  const second = await restart(first, 30 * 60_000, { schedules: [every] });
  assertEquals(times(second.fired), ["2026-03-27T12:31:00.000Z"]);
  assertIncludes(second.logs.join("\n"), "only the latest runs");
  await second.clock.advance(60_000);
  assertEquals(times(second.fired).slice(1), ["2026-03-27T12:32:00.000Z"]);
  await second.scheduler.stop();
});

Deno.test("A run missed longer ago than the grace is skipped, and the next one runs", async () => {
  const standup: OperatorSchedule = {
    name: "standup",
    to: ALICE,
    cron: "0 9 * * *",
    tz: "UTC",
    prompt: "Stand-up",
  };
  const first = await startScheduler({ schedules: [standup], start: "2026-03-27T08:00:00Z" });
  // Down from 08:00 to 10:30: the 09:00 run is 90 minutes old, past the 60-minute grace.
  const second = await restart(first, 150 * 60_000, { schedules: [standup] });
  assertEquals(second.fired, []);
  assertIncludes(second.logs.join("\n"), "too old, skipped");
  await second.clock.advanceTo("2026-03-28T10:00:00Z");
  assertEquals(times(second.fired), ["2026-03-28T09:00:00.000Z"]);
  // With a two-hour grace the same outage is caught up.
  const third = await startScheduler({ schedules: [standup], start: "2026-03-27T08:00:00Z" });
  const fourth = await restart(third, 150 * 60_000, {
    schedules: [standup],
    missedRunGraceMs: 120 * 60_000,
  });
  assertEquals(fourth.fired.map((f) => [f.scheduledAt, f.catchUp]), [[
    "2026-03-27T09:00:00.000Z",
    true,
  ]]);
  await Promise.all([second.scheduler.stop(), fourth.scheduler.stop()]);
});

Deno.test("A one-time task missed while down runs within the grace, else is dropped", async () => {
  const first = await startScheduler();
  const soon = await first.scheduler.add({
    conversation: ALICE,
    text: "A",
    when: { inSeconds: 60 },
  });
  const second = await restart(first, 30 * 60_000);
  assertEquals(second.fired.map((f) => [f.id, f.catchUp]), [[soon.id, true]]);
  assertEquals(second.scheduler.all(), []);

  const late = await second.scheduler.add({
    conversation: ALICE,
    text: "B",
    when: { inSeconds: 60 },
  });
  const third = await restart(second, 3 * 3600_000);
  assertEquals(third.fired, []);
  assertEquals(third.scheduler.all(), [], `${late.id} is dropped, not kept forever`);
  await third.scheduler.stop();
});

Deno.test("A restart right after a run does not run it again", async () => {
  const first = await startScheduler({ schedules: [WATER] });
  const task = await first.scheduler.add({
    conversation: ALICE,
    text: "Stretch",
    when: { every: "10m" },
  });
  await first.clock.advance(30 * 60_000);
  assertEquals(first.fired.length, 4);
  const second = await restart(first, 1_000, { schedules: [WATER] });
  assertEquals(second.fired, []);
  await second.clock.advance(10 * 60_000);
  assertEquals(second.fired.map((f) => [f.id, f.scheduledAt]), [
    [task.id, "2026-03-27T12:40:00.000Z"],
  ]);
  await second.scheduler.stop();
});

Deno.test("A schedule removed from the config stops; a changed rule starts afresh", async () => {
  const first = await startScheduler({ schedules: [WATER] });
  await first.clock.advance(20 * 60_000);
  const removed = await restart(first, 60 * 60_000, { schedules: [] });
  await removed.clock.advance(3 * 3600_000);
  assertEquals(removed.fired, []);
  assertEquals(JSON.parse(removed.store.text ?? "{}").config, {});

  const hourly = { ...WATER, every: "1h" };
  const again = await startScheduler({ schedules: [WATER] }, removed);
  await again.clock.advance(20 * 60_000);
  // The interval changed while down: no catch-up of the old rule, the new one runs from start.
  const changed = await restart(again, 45 * 60_000, { schedules: [hourly] });
  assertEquals(changed.fired, []);
  await changed.clock.advance(60 * 60_000);
  assertEquals(times(changed.fired), ["2026-03-27T18:25:00.000Z"]);
  await changed.scheduler.stop();
});

Deno.test("A zero grace never catches up", async () => {
  const first = await startScheduler({ schedules: [WATER], missedRunGraceMs: 0 });
  const second = await restart(first, 31 * 60_000, { schedules: [WATER], missedRunGraceMs: 0 });
  assertEquals(second.fired, []);
  await second.clock.advance(30 * 60_000);
  assertEquals(times(second.fired), ["2026-03-27T13:00:00.000Z"]);
  await second.scheduler.stop();
});

Deno.test("A damaged schedules file is set aside and the config's schedules still run", async () => {
  const store = memoryScheduleStore("{ not json");
  const run = await startScheduler({ schedules: [WATER], store });
  assertEquals(store.setAsideText, "{ not json");
  assertIncludes(run.logs.join("\n"), "The saved schedules cannot be read");
  await run.clock.advance(30 * 60_000);
  assertEquals(run.fired.length, 1);
  assertEquals(JSON.parse(store.text ?? "{}").version, 1, "a fresh file is written");
  await run.scheduler.stop();
});

Deno.test("An unreadable saved task is dropped and the others are kept", async () => {
  const first = await startScheduler();
  const kept = await first.scheduler.add({
    conversation: ALICE,
    text: "A",
    when: { inSeconds: 600 },
  });
  await first.scheduler.stop();
  const saved = JSON.parse(first.store.text!);
  saved.tasks.push({ id: "broken", conversation: ALICE, kind: "prompt", text: "B" });
  saved.tasks.push({ ...saved.tasks[0], id: "config:water" });
  saved.tasks.push({
    ...saved.tasks[0],
    id: "badcron",
    at: undefined,
    cron: "61 * * * *",
    tz: "UTC",
  });
  first.store.text = JSON.stringify(saved);
  const second = await startScheduler({}, first);
  assertEquals(second.scheduler.all().map((task) => task.id), [kept.id]);
  assertIncludes(second.logs.join("\n"), "Dropped 2 unreadable record");
  assertIncludes(second.logs.join("\n"), "Dropped saved task badcron");
  await second.scheduler.stop();
});

Deno.test("A saved task more frequent than the minimum, or past a conversation's limit, is dropped", async () => {
  const first = await startScheduler({ maxPerConversation: 2 });
  const kept = await first.scheduler.add({
    conversation: ALICE,
    text: "A",
    when: { inSeconds: 600 },
  });
  await first.scheduler.stop();
  const saved = JSON.parse(first.store.text!);
  const every = { ...saved.tasks[0], at: undefined, every_secs: 1 };
  saved.tasks.push({ ...every, id: "flood" });
  saved.tasks.push({ ...every, id: "hourly1", every_secs: 3600 });
  saved.tasks.push({ ...every, id: "hourly2", every_secs: 3600 });
  first.store.text = JSON.stringify(saved);
  const second = await startScheduler({ maxPerConversation: 2 }, first);
  assertEquals(second.scheduler.all().map((task) => task.id).sort(), [kept.id, "hourly1"].sort());
  const logs = second.logs.join("\n");
  assertIncludes(logs, "Dropped saved task flood: it runs more often than every 60 s");
  assertIncludes(logs, "Dropped saved task hourly2: its conversation holds 2 tasks already");
  await second.clock.advance(5_000);
  assertEquals(second.fired.length, 0, "no firing every second");
  await second.scheduler.stop();
});

Deno.test("A saved cron task more frequent than the minimum is dropped like an `every` one", async () => {
  const rules = { minimumUserIntervalMs: 5 * 60_000 };
  const first = await startScheduler(rules);
  await first.scheduler.add({ conversation: ALICE, text: "A", when: { inSeconds: 600 } });
  await first.scheduler.stop();
  const saved = JSON.parse(first.store.text!);
  const cron = { ...saved.tasks[0], at: undefined, tz: "UTC" };
  saved.tasks.push({ ...cron, id: "minutely", cron: "* * * * *" });
  saved.tasks.push({ ...cron, id: "hourly", cron: "0 * * * *" });
  first.store.text = JSON.stringify(saved);
  const second = await startScheduler(rules, first);
  const ids = second.scheduler.all().map((task) => task.id);
  assertEquals([ids.includes("minutely"), ids.includes("hourly")], [false, true]);
  assertIncludes(second.logs.join("\n"), "Dropped saved task minutely: it runs more often");
  await second.scheduler.stop();
});
