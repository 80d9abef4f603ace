import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { FakeClock } from "./fake_clock.ts";
import { scheduleFile } from "./schedule_file.ts";
import { type ScheduleFiring, Scheduler } from "./scheduler.ts";
import { createLogger } from "../log/mod.ts";

Deno.test("scheduleFile() replaces the file whole and reads it back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = scheduleFile(`${dir}/memory/schedules.json`, { fsync: true });
    assertEquals(await store.read(), undefined);
    await store.write('{"version":1}');
    await store.write('{"version":1,"tasks":[]}');
    assertEquals(await store.read(), '{"version":1,"tasks":[]}');
    const names = [...Deno.readDirSync(`${dir}/memory`)].map((entry) => entry.name);
    assertEquals(names, ["schedules.json"], "no temporary file is left");
    assertEquals(await store.setAside(), `${dir}/memory/schedules.json.damaged`);
    assertEquals(await store.read(), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("A task saved in schedules.json fires after a restart of the scheduler", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/schedules.json`;
  const clock = new FakeClock("2026-03-27T12:00:00Z");
  const fired: ScheduleFiring[] = [];
  const make = () =>
    new Scheduler({
      store: scheduleFile(path),
      clock,
      fire: (f) => fired.push(f),
      timeZone: "UTC",
    });
  try {
    const first = make();
    await first.start();
    const added = await first.add({
      conversation: "alice@example.org",
      text: "Stand up and stretch",
      when: { inSeconds: 300 },
    });
    await first.stop();
    const saved = JSON.parse(await Deno.readTextFile(path));
    assertEquals(saved.tasks[0].id, added.id);
    assertEquals(saved.tasks[0].at, "2026-03-27T12:05:00.000Z");

    const second = make();
    await second.start();
    await clock.advance(300_000);
    await second.idle();
    assertEquals(fired.map((f) => [f.id, f.conversation, f.text]), [
      [added.id, "alice@example.org", "Stand up and stretch"],
    ]);
    await second.stop();
    assertEquals(JSON.parse(await Deno.readTextFile(path)).tasks, [], "the spent task is gone");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("A schedules.json that is not JSON is kept aside and reported", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/schedules.json`;
  await Deno.writeTextFile(path, '{"version": 1, "tasks": [');
  const logs: string[] = [];
  const scheduler = new Scheduler({
    store: scheduleFile(path),
    clock: new FakeClock("2026-03-27T12:00:00Z"),
    fire: () => {},
    log: createLogger("scheduler", { write: (line) => logs.push(line) }),
  });
  try {
    await scheduler.start();
    await scheduler.stop();
    assertEquals(await Deno.readTextFile(`${path}.damaged`), '{"version": 1, "tasks": [');
    assertIncludes(logs.join("\n"), `kept as ${path}.damaged`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
