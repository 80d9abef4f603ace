import assert from "node:assert/strict";
import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { ScheduleRequestError } from "./schedule_request_error.ts";
import { startScheduler, times } from "./_testing.ts";
import { FakeClock } from "./fake_clock.ts";
import { memoryScheduleStore } from "./schedule_store.ts";
import { type NewTask, Scheduler } from "./scheduler.ts";

const ALICE = "alice@example.org";
const BOB = "bob@example.org";

async function refusal(promise: Promise<unknown>): Promise<ScheduleRequestError> {
  const error = await promise.then(() => undefined, (error) => error);
  assert.ok(error instanceof ScheduleRequestError, `expected a refusal, got ${String(error)}`);
  return error;
}

Deno.test("Scheduler fires a config schedule with every into its conversation, on a fixed grid", async () => {
  const { clock, scheduler, fired } = await startScheduler({
    schedules: [{ name: "water", to: "Alice@Example.org", every: "30m", text: "Drink water" }],
  });
  await clock.advance(95 * 60_000);
  assertEquals(times(fired), [
    "2026-03-27T12:30:00.000Z",
    "2026-03-27T13:00:00.000Z",
    "2026-03-27T13:30:00.000Z",
  ]);
  assertEquals(fired[0], {
    type: "schedule",
    id: "config:water",
    name: "water",
    origin: "config",
    conversation: ALICE,
    kind: "text",
    text: "Drink water",
    recurring: true,
    scheduledAt: "2026-03-27T12:30:00.000Z",
    firedAt: "2026-03-27T12:30:00.000Z",
    latenessMs: 0,
    catchUp: false,
  });
  assertEquals(scheduler.list(ALICE).map((task) => task.nextRun), ["2026-03-27T14:00:00.000Z"]);
  await scheduler.stop();
});

Deno.test("Scheduler runs a cron schedule at 09:00 Paris time across the spring DST change", async () => {
  const { clock, scheduler, fired } = await startScheduler({
    schedules: [{
      name: "standup",
      to: "dev@conference.example.org",
      cron: "0 9 * * *",
      tz: "Europe/Paris",
      prompt: "Remind the team of the stand-up",
    }],
  });
  await clock.advanceTo("2026-03-30T12:00:00Z");
  // Saturday in winter time (UTC+1), then Sunday and Monday in summer time (UTC+2).
  assertEquals(times(fired), [
    "2026-03-28T08:00:00.000Z",
    "2026-03-29T07:00:00.000Z",
    "2026-03-30T07:00:00.000Z",
  ]);
  assertEquals(fired.map((firing) => firing.latenessMs), [0, 0, 0]);
  assertEquals(fired[0]?.kind, "prompt");
  assertEquals(fired[0]?.conversation, "dev@conference.example.org");
  await scheduler.stop();
});

Deno.test("Scheduler runs a one-time task once, in its conversation and thread", async () => {
  const { clock, scheduler, fired } = await startScheduler();
  const inAMinute = await scheduler.add({
    conversation: ALICE,
    thread: "t1",
    createdBy: ALICE,
    text: "Check the oven",
    when: { inSeconds: 60 },
  });
  const atNoon = await scheduler.add({
    conversation: BOB,
    text: "Lunch",
    when: { at: "2026-03-28T12:00:00+01:00" },
  });
  assertEquals(inAMinute.nextRun, "2026-03-27T12:01:00.000Z");
  assertEquals(atNoon.nextRun, "2026-03-28T11:00:00.000Z");
  await clock.advance(2 * 86_400_000);
  assertEquals(fired.map((f) => [f.id, f.conversation, f.thread, f.scheduledAt, f.recurring]), [
    [inAMinute.id, ALICE, "t1", "2026-03-27T12:01:00.000Z", false],
    [atNoon.id, BOB, undefined, "2026-03-28T11:00:00.000Z", false],
  ]);
  assertEquals(fired[0]?.createdBy, ALICE);
  assertEquals(fired[0]?.origin, "user");
  assertEquals(scheduler.all(), [], "a spent one-time task is gone");
  await scheduler.stop();
});

Deno.test("Scheduler runs a user's cron task in the user's zone and a far task on time", async () => {
  const { clock, scheduler, fired } = await startScheduler();
  await scheduler.add({
    conversation: ALICE,
    text: "Weekly review",
    when: { cron: "0 9 * * 1", tz: "Europe/Paris" },
  });
  // Beyond the longest single timer: the scheduler re-arms until it is due.
  const far = await scheduler.add({
    conversation: ALICE,
    text: "Renew the domain",
    when: { at: "2026-04-20T10:00:00Z" },
  });
  await clock.advanceTo("2026-04-21T00:00:00Z");
  assertEquals(times(fired.filter((f) => f.id !== far.id)), [
    "2026-03-30T07:00:00.000Z",
    "2026-04-06T07:00:00.000Z",
    "2026-04-13T07:00:00.000Z",
    "2026-04-20T07:00:00.000Z",
  ]);
  assertEquals(fired.find((f) => f.id === far.id)?.latenessMs, 0);
  await scheduler.stop();
});

Deno.test("Scheduler holds users to a minute ahead and a minute apart", async () => {
  const { scheduler } = await startScheduler();
  const task = (when: NewTask["when"]) => scheduler.add({ conversation: ALICE, text: "x", when });
  assertEquals((await refusal(task({ inSeconds: 59 }))).reason, "too_soon");
  const soon = await refusal(task({ at: "2026-03-27T12:00:30Z" }));
  assertEquals(soon.reason, "too_soon");
  assertIncludes(
    soon.message,
    "only 30 seconds ahead: a one-time task must be at least 60 seconds",
  );
  assertEquals((await refusal(task({ at: "2026-03-27T11:00:00Z" }))).reason, "past");
  assertEquals((await refusal(task({ at: "next week" }))).reason, "bad_time");
  assertEquals((await refusal(task({ at: "2099-01-01T00:00:00Z" }))).reason, "too_far");
  assertEquals((await refusal(task({ inSeconds: 1e12 }))).reason, "too_far");
  const frequent = await refusal(task({ every: "30s" }));
  assertEquals(frequent.reason, "too_frequent");
  assertIncludes(frequent.message, "at least 60 seconds apart");
  const badCron = await refusal(task({ cron: "*/10 * * * * *" }));
  assertEquals(badCron.reason, "bad_cron");
  assertIncludes(badCron.message, "five-field");
  assertEquals((await refusal(task({ cron: "0 9 * * *", tz: "Mars/Base" }))).reason, "bad_cron");
  assertEquals(
    (await refusal(scheduler.add({ conversation: ALICE, text: "  ", when: { inSeconds: 60 } })))
      .reason,
    "bad_text",
  );
  assertEquals(scheduler.all(), [], "nothing refused was scheduled");
  await task({ inSeconds: 60 });
  await task({ at: "2026-03-27T12:01:00Z" });
  await task({ every: "1m" });
  await task({ cron: "* * * * *" });
  assertEquals(scheduler.list(ALICE).length, 4);
  await scheduler.stop();
});

Deno.test("Scheduler holds a conversation to max_schedules tasks", async () => {
  const { scheduler } = await startScheduler({ maxPerConversation: 2 });
  const task = (conversation: string) =>
    scheduler.add({ conversation, text: "x", when: { inSeconds: 3600 } });
  const first = await task(ALICE);
  await task(ALICE);
  const third = await refusal(task(ALICE));
  assertEquals(third.reason, "too_many");
  assertIncludes(third.message, "already has 2 scheduled tasks");
  await task(BOB);
  await scheduler.cancel(ALICE, first.id);
  await task(ALICE);
  assertEquals(scheduler.list(ALICE).length, 2);
  await scheduler.stop();
});

Deno.test("Scheduler lets a conversation see and cancel only its own tasks", async () => {
  const { clock, scheduler, fired } = await startScheduler({
    schedules: [{ name: "digest", to: ALICE, every: "1d", prompt: "Summarise the news" }],
  });
  const alices = await scheduler.add({ conversation: ALICE, text: "A", when: { inSeconds: 600 } });
  const bobs = await scheduler.add({ conversation: BOB, text: "B", when: { inSeconds: 600 } });
  assertEquals(scheduler.list(ALICE).map((task) => task.id), [alices.id, "config:digest"]);
  assertEquals(scheduler.list(BOB).map((task) => task.id), [bobs.id]);
  assertEquals(await scheduler.cancel(BOB, alices.id), undefined);
  assertEquals(await scheduler.cancel(BOB, "config:digest"), undefined);
  const operator = await refusal(scheduler.cancel(ALICE, "config:digest"));
  assertEquals(operator.reason, "operator_schedule");
  assertEquals((await scheduler.cancel(ALICE, alices.id))?.text, "A");
  await clock.advance(3600_000);
  assertEquals(fired.map((firing) => firing.id), [bobs.id]);
  await scheduler.stop();
});

Deno.test("Scheduler schedules nothing when the task cannot be saved", async () => {
  const { store, scheduler, clock, fired } = await startScheduler();
  store.failWrites = new Error("No space left on device");
  await assert.rejects(
    scheduler.add({ conversation: ALICE, text: "x", when: { inSeconds: 60 } }),
    /No space left/,
  );
  assertEquals(scheduler.all(), []);
  await clock.advance(120_000);
  assertEquals(fired, []);
  store.failWrites = undefined;
  const kept = await scheduler.add({ conversation: ALICE, text: "y", when: { inSeconds: 60 } });
  store.failWrites = new Error("No space left on device");
  await assert.rejects(scheduler.cancel(ALICE, kept.id), /No space left/);
  assertEquals(scheduler.list(ALICE).map((task) => task.id), [kept.id], "a failed cancel keeps it");
  await scheduler.stop();
});

Deno.test("Scheduler.stop() ends the firings", async () => {
  const { clock, scheduler, fired } = await startScheduler({
    schedules: [{ name: "tick", to: ALICE, every: "1s", text: "tick" }],
  });
  await clock.advance(3_000);
  await scheduler.stop();
  await clock.advance(10_000);
  assertEquals(fired.length, 3);
  assertEquals(clock.pendingTimers, 0);
});

Deno.test("Scheduler without a zone reads cron rules in the machine's zone (TZ)", async () => {
  const before = Deno.env.get("TZ");
  Deno.env.set("TZ", "Europe/Paris");
  try {
    const scheduler = new Scheduler({
      clock: new FakeClock("2026-03-27T12:00:00Z"),
      store: memoryScheduleStore(),
      fire: () => {},
    });
    await scheduler.start();
    // What the schedule_task tool tells the model, and what a cron rule without tz is read in.
    assertEquals(scheduler.limits.timeZone, "Europe/Paris");
    scheduler.stop();
  } finally {
    if (before === undefined) Deno.env.delete("TZ");
    else Deno.env.set("TZ", before);
  }
});
