import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { FakeClock, memoryScheduleStore, Scheduler } from "../scheduler/mod.ts";
import { CommandRegistry, parseCommandLine, scheduleCommands } from "./mod.ts";
import type { CommandMemory } from "./mod.ts";

const unusedMemory = new Proxy({}, {
  get: () => () => Promise.reject(new Error("schedule commands do not touch memory")),
}) as CommandMemory;

async function setUp() {
  const clock = new FakeClock("2026-03-27T12:00:00Z");
  const scheduler = new Scheduler({
    clock,
    store: memoryScheduleStore(),
    fire: () => {},
    schedules: [{ name: "digest", to: "dev@conference.example.org", every: "1d", prompt: "News" }],
  });
  await scheduler.start();
  const registry = new CommandRegistry(scheduleCommands(scheduler));
  const send = (text: string, jid: string, erase = true) =>
    registry.execute(parseCommandLine(text)!, {
      jid,
      session: jid,
      rights: { dev: false, erase },
      sendRaw: () => undefined,
      memory: unusedMemory,
      status: () => {
        throw new Error("unused");
      },
      now: () => clock.now(),
    });
  return { scheduler, send };
}

Deno.test("/schedules lists only this conversation's tasks", async () => {
  const { scheduler, send } = await setUp();
  const alices = await scheduler.add({
    conversation: "alice@example.org",
    text: "Water the plants",
    when: { every: "1d" },
  });
  await scheduler.add({ conversation: "bob@example.org", text: "Bob's", when: { inSeconds: 90 } });
  const listing = await send("/schedules", "alice@example.org");
  assertIncludes(listing, "Scheduled tasks (1):");
  assertIncludes(listing, `- ${alices.id}: every 1d, recurring; next 2026-03-28T12:00:00.000Z`);
  assertIncludes(listing, '"Water the plants"');
  assertEquals(listing.includes("Bob's"), false);
  assertIncludes(await send("/schedules", "carol@example.org"), "No tasks are scheduled here");
  assertIncludes(await send("/schedules", "dev@conference.example.org"), "set by the operator");
  await scheduler.stop();
});

Deno.test("/schedule cancel cancels only this conversation's own tasks", async () => {
  const { scheduler, send } = await setUp();
  const bobs = await scheduler.add({
    conversation: "bob@example.org",
    text: "B",
    when: { inSeconds: 90 },
  });
  assertEquals(
    await send(`/schedule cancel ${bobs.id}`, "alice@example.org"),
    `No task "${bobs.id}" here. Send /schedules for the list.`,
  );
  assertEquals(scheduler.list("bob@example.org").length, 1);
  assertEquals(
    await send(`/schedule cancel ${bobs.id.toUpperCase()}`, "bob@example.org"),
    `Cancelled ${bobs.id}: "B"`,
  );
  assertEquals(scheduler.list("bob@example.org").length, 0);
  assertIncludes(
    await send("/schedule cancel config:digest", "dev@conference.example.org"),
    "only the operator can remove it",
  );
  for (
    const text of ["/schedule", "/schedule cancel", "/schedule drop x", "/schedule cancel a b"]
  ) {
    assertIncludes(await send(text, "bob@example.org"), "Usage: /schedules");
  }
  await scheduler.stop();
});

Deno.test("/schedule cancel in a room needs an occupant whose real JID is allowed", async () => {
  const { scheduler, send } = await setUp();
  const room = "dev@conference.example.org";
  const task = await scheduler.add({ conversation: room, text: "R", when: { inSeconds: 90 } });
  assertIncludes(await send(`/schedule cancel ${task.id}`, room, false), "real JID is allowed");
  assertEquals(scheduler.list(room).map((t) => t.id).includes(task.id), true);
  assertIncludes(await send(`/schedule cancel ${task.id}`, room, true), "Cancelled");
  await scheduler.stop();
});
