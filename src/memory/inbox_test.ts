import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { Inbox, type InboxFile } from "./inbox.ts";

/** The in-memory twin of the inbox file. */
function memoryFile(initial = "", options: { full?: () => boolean } = {}) {
  let text = initial;
  const decoder = new TextDecoder();
  const file: InboxFile & { text(): string } = {
    appendSync(data) {
      if (options.full?.()) throw new Error("No space left on device (os error 28)");
      text += decoder.decode(data);
    },
    truncateSync() {
      text = "";
    },
    close() {},
    read: () => Promise.resolve(text === "" ? null : text),
    text: () => text,
  };
  return file;
}

const AT = new Date("2026-12-01T10:00:00Z");

Deno.test("Inbox gives back what was recorded and not done, oldest first", async () => {
  const file = memoryFile();
  const first = new Inbox<string>(file);
  assertEquals(await first.open(), []);
  const a = first.record("a", AT);
  first.record("b", AT);
  first.record("c", AT);
  first.done(a);
  // The process dies here: b and c were never handled.
  const second = new Inbox<string>(file);
  const left = await second.open();
  assertEquals(left.map((r) => r.event), ["b", "c"]);
  assertEquals(left[0]?.at, AT.toISOString());
  assertEquals(second.pending, 2);
  const d = second.record("d", AT);
  assertEquals(d, 4, "numbering goes on after the last run's");
  for (const record of left) second.done(record.n);
  second.done(d);
  assertEquals(await new Inbox<string>(file).open(), []);
});

Deno.test("Inbox skips a line torn by a crash", async () => {
  const file = memoryFile('{"n":1,"at":"x","event":"a"}\n{"n":2,"at":"x","eve');
  assertEquals((await new Inbox<string>(file).open()).map((r) => r.event), ["a"]);
});

Deno.test("Inbox skips edited lines and numbers that are not its own counting, and numbers on", async () => {
  const file = memoryFile(
    ["null", '{"n":1e400,"at":"x","event":"huge"}', '{"n":-3,"event":"negative"}', '{"n":2.5}']
      .join("\n") + '\n{"n":2,"at":"x","event":"kept"}\n',
  );
  const inbox = new Inbox<string>(file);
  assertEquals((await inbox.open()).map((r) => r.event), ["kept"]);
  assertEquals(inbox.record("next", AT), 3);
  assertEquals(
    file.text().trim().split("\n").at(-1),
    `{"n":3,"at":"${AT.toISOString()}","event":"next"}`,
  );
});

Deno.test("Inbox empties its file once it is long and nothing is pending", async () => {
  const file = memoryFile();
  const inbox = new Inbox<string>(file, { compactAfterLines: 10 });
  await inbox.open();
  for (let i = 0; i < 4; i++) inbox.done(inbox.record(`m${i}`, AT));
  const kept = inbox.record("kept", AT);
  for (let i = 0; i < 3; i++) inbox.done(inbox.record(`n${i}`, AT));
  assertEquals(file.text() !== "", true, "something is pending: nothing is emptied");
  inbox.done(kept);
  assertEquals(file.text(), "");
  assertEquals(await new Inbox<string>(file).open(), []);
});

Deno.test("Inbox.record() throws when the disk is full, and a done mark is not invented", async () => {
  let full = false;
  const file = memoryFile("", { full: () => full });
  const inbox = new Inbox<string>(file);
  await inbox.open();
  full = true;
  assertThrows(() => inbox.record("lost", AT), Error, "No space left");
  assertEquals(inbox.pending, 0);
  full = false;
  inbox.done(1);
  assertEquals(file.text(), "");
});
