import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { type ScheduleToolContext, scheduleTools } from "./schedule_tools.ts";
import { startScheduler } from "./_testing.ts";

const ALICE: ScheduleToolContext = {
  conversation: "alice@example.org",
  sender: "alice@example.org",
};
const BOB: ScheduleToolContext = { conversation: "bob@example.org" };

async function setUp() {
  const run = await startScheduler({
    maxPerConversation: 3,
    schedules: [{ name: "digest", to: "alice@example.org", every: "1d", prompt: "News" }],
  });
  const tools = scheduleTools(run.scheduler);
  let n = 0;
  const call = (name: string, input: Record<string, unknown>, context = ALICE) =>
    tools.call({ id: `c${++n}`, name, input }, context);
  return { ...run, tools, call };
}

Deno.test("scheduleTools() offers three tools, sorted, with the limits in the description", async () => {
  const { tools, scheduler } = await setUp();
  const definitions = tools.definitions();
  assertEquals(definitions.map((d) => d.name), ["cancel_task", "list_tasks", "schedule_task"]);
  const schedule = definitions[2]!;
  assertIncludes(schedule.description, "at least 60 seconds ahead");
  assertIncludes(schedule.description, "at most 3 tasks");
  assertEquals((schedule.input_schema as { required: string[] }).required, ["task"]);
  assertEquals(tools.has("list_tasks") && !tools.has("web_search"), true);
  await scheduler.stop();
});

Deno.test("schedule_task schedules in the caller's conversation and the task fires there", async () => {
  const { call, clock, fired, scheduler } = await setUp();
  const result = await call("schedule_task", { task: "Remind Alice to stretch", in_seconds: 120 });
  assertEquals(result.is_error, false);
  assertEquals(result.tool_use_id, "c1");
  assertIncludes(result.content, "once at 2026-03-27T12:02:00.000Z, one-time");
  assertIncludes(result.content, "(in 2 minutes)");
  await clock.advance(120_000);
  assertEquals(fired.map((f) => [f.conversation, f.text, f.createdBy, f.kind]), [
    ["alice@example.org", "Remind Alice to stretch", "alice@example.org", "prompt"],
  ]);
  await scheduler.stop();
});

Deno.test("schedule_task refuses with a clear sentence and schedules nothing", async () => {
  const { call, scheduler } = await setUp();
  const cases: [Record<string, unknown>, string][] = [
    [{ task: "x" }, "exactly one of at, in_seconds or cron (none was given)"],
    [{ task: "x", in_seconds: 120, cron: "* * * * *" }, "got in_seconds and cron"],
    [{ task: "x", in_seconds: 10 }, "at least 60 seconds ahead"],
    [{ task: "x", in_seconds: 90.5 }, "whole number of seconds"],
    [{ task: "x", at: "2026-03-27T11:00:00Z" }, "is in the past"],
    [{ task: "x", at: "2026-03-27T12:00:30Z" }, "only 30 seconds ahead"],
    [{ task: "x", at: "tomorrow" }, "is not an ISO-8601 date-time"],
    [{ task: "x", cron: "0 9 * *" }, "five-field cron"],
    [{ task: "x", cron: "0 9 * * *", tz: "Mars/Base" }, 'Unknown time zone "Mars/Base"'],
    [{ task: "x", in_seconds: 120, tz: "UTC" }, "tz goes with cron only"],
    [{ task: "", in_seconds: 120 }, "task must be a non-empty string"],
    [{ task: "x", in_seconds: 120, every: "1m" }, "Unknown field(s) every"],
  ];
  for (const [input, expected] of cases) {
    const result = await call("schedule_task", input);
    assertEquals(result.is_error, true, JSON.stringify(input));
    assertIncludes(result.content, expected);
  }
  assertEquals(scheduler.list("alice@example.org").map((task) => task.origin), ["config"]);
  // Models that send null for what they leave out are understood.
  const ok = await call("schedule_task", { task: "x", at: null, in_seconds: 60, cron: null });
  assertEquals(ok.is_error, false);
  await scheduler.stop();
});

Deno.test("schedule_task refuses a fourth task in a conversation limited to three", async () => {
  const { call, scheduler } = await setUp();
  for (let i = 0; i < 3; i++) {
    assertEquals(
      (await call("schedule_task", { task: `t${i}`, cron: "0 9 * * *" })).is_error,
      false,
    );
  }
  const fourth = await call("schedule_task", { task: "t4", cron: "0 9 * * *" });
  assertEquals(fourth.is_error, true);
  assertIncludes(fourth.content, "already has 3 scheduled tasks");
  assertEquals((await call("schedule_task", { task: "b", in_seconds: 60 }, BOB)).is_error, false);
  await scheduler.stop();
});

Deno.test("list_tasks and cancel_task see only the caller's own tasks", async () => {
  const { call, scheduler } = await setUp();
  await call("schedule_task", { task: "Alice's", cron: "30 8 * * 1-5", tz: "Europe/Paris" });
  await call("schedule_task", { task: "Bob's", in_seconds: 3600 }, BOB);
  const bobsId = scheduler.list(BOB.conversation)[0]!.id;
  const alicesList = await call("list_tasks", {});
  assertIncludes(alicesList.content, "Now: 2026-03-27T12:00:00.000Z");
  assertIncludes(alicesList.content, '"Alice\'s"');
  assertIncludes(alicesList.content, 'cron "30 8 * * 1-5" (Europe/Paris), recurring');
  assertIncludes(alicesList.content, "next 2026-03-30T06:30:00.000Z (in 2 days 18 hours)");
  assertIncludes(alicesList.content, 'set by the operator as "digest"');
  assertEquals(alicesList.content.includes("Bob's") || alicesList.content.includes(bobsId), false);

  const probe = await call("cancel_task", { id: bobsId });
  assertEquals([probe.is_error, probe.content], [true, `No task "${bobsId}" in this conversation`]);
  const unknown = await call("cancel_task", { id: "nosuchid" });
  assertEquals(unknown.content, 'No task "nosuchid" in this conversation');
  const operator = await call("cancel_task", { id: "config:digest" });
  assertEquals(operator.is_error, true);
  assertIncludes(operator.content, "only the operator can remove it");
  assertEquals(scheduler.list(BOB.conversation).length, 1, "Bob's task is untouched");

  const mine = scheduler.list(ALICE.conversation).find((task) => task.origin === "user")!;
  const cancelled = await call("cancel_task", { id: mine.id });
  assertEquals([cancelled.is_error, cancelled.content], [
    false,
    `Cancelled ${mine.id}: "Alice's".`,
  ]);
  assertEquals((await call("list_tasks", {}, BOB)).content.includes(bobsId), true);
  assertEquals(
    (await call("list_tasks", {}, { conversation: "carol@example.org" })).content,
    "No tasks are scheduled in this conversation.",
  );
  await scheduler.stop();
});

Deno.test("A storage failure comes back as an error result, never a rejection", async () => {
  const { call, store, scheduler } = await setUp();
  store.failWrites = new Error("EIO: /data/memory/schedules.json.tmp");
  const result = await call("schedule_task", { task: "x", in_seconds: 60 });
  assertEquals(result.is_error, true);
  assertIncludes(result.content, "could not save the change");
  assertEquals(result.content.includes("/data/memory"), false, "no path reaches the model");
  assertEquals((await call("unknown_tool", {})).content, 'Unknown tool "unknown_tool"');
  await scheduler.stop();
});
