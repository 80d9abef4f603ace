import assert from "node:assert/strict";
import { AppendHandle } from "./append_handle.ts";

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

/** The paths this process holds open, from `/proc/self/fd`. */
function openPaths(): string[] {
  const paths: string[] = [];
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      paths.push(Deno.readLinkSync(`/proc/self/fd/${entry.name}`));
    } catch {
      // The descriptor readDir itself used, closed meanwhile.
    }
  }
  return paths;
}

async function inTempDir(body: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("AppendHandle creates nothing before the first append, then the folder and file with their modes", () =>
  inTempDir((dir) => {
    const path = `${dir}/usage/2026-12.jsonl`;
    const file = new AppendHandle(path, { mode: 0o600, dirMode: 0o700 });
    assert.throws(() => Deno.statSync(`${dir}/usage`), Deno.errors.NotFound);
    file.appendSync(bytes("a\n"));
    file.appendSync(bytes("b\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "a\nb\n");
    assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
    assert.equal(Deno.statSync(`${dir}/usage`).mode! & 0o777, 0o700);
  }));

Deno.test("AppendHandle keeps one handle open between appends and closes it on close()", () =>
  inTempDir((dir) => {
    const path = `${dir}/inbox.jsonl`;
    const file = new AppendHandle(path);
    for (let i = 0; i < 50; i++) file.appendSync(bytes(`${i}\n`));
    assert.equal(openPaths().filter((open) => open === path).length, 1);
    file.close();
    file.close();
    assert.equal(openPaths().filter((open) => open === path).length, 0);
    assert.equal(Deno.readTextFileSync(path).split("\n").length, 51);
  }));

Deno.test("AppendHandle appends to the existing file, and again after close()", () =>
  inTempDir((dir) => {
    const path = `${dir}/deliveries.jsonl`;
    Deno.writeTextFileSync(path, "old\n");
    const file = new AppendHandle(path);
    file.appendSync(bytes("one\n"));
    file.close();
    file.appendSync(bytes("two\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "old\none\ntwo\n");
  }));

Deno.test("AppendHandle writes to a new file once the old one is removed or rotated away", () =>
  inTempDir((dir) => {
    const path = `${dir}/logs/usage.jsonl`;
    const file = new AppendHandle(path, { recheckMs: 0 });
    file.appendSync(bytes("1\n"));
    Deno.renameSync(path, `${path}.1`);
    file.appendSync(bytes("2\n"));
    assert.equal(Deno.readTextFileSync(`${path}.1`), "1\n");
    assert.equal(Deno.readTextFileSync(path), "2\n");
    Deno.removeSync(`${dir}/logs`, { recursive: true });
    file.appendSync(bytes("3\n"));
    assert.equal(Deno.readTextFileSync(path), "3\n");
    // Replaced by another file under the same name (as a compaction's rename does).
    Deno.writeTextFileSync(`${path}.tmp`, "kept\n");
    Deno.renameSync(`${path}.tmp`, path);
    file.appendSync(bytes("4\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "kept\n4\n");
    assert.equal(openPaths().some((open) => open.startsWith(dir)), false);
  }));

Deno.test("AppendHandle looks at its path once recheckMs have passed, and not before", () =>
  inTempDir((dir) => {
    const path = `${dir}/usage.jsonl`;
    let now = 0;
    const file = new AppendHandle(path, { recheckMs: 1000, now: () => now });
    file.appendSync(bytes("1\n"));
    Deno.renameSync(path, `${path}.1`);
    now = 999;
    // Within the second, the append goes where the handle points: the file rotated away.
    file.appendSync(bytes("2\n"));
    assert.equal(Deno.readTextFileSync(`${path}.1`), "1\n2\n");
    assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
    now = 1000;
    file.appendSync(bytes("3\n"));
    assert.equal(Deno.readTextFileSync(path), "3\n");
    // The look starts the window again: a file put in its place is found a second later.
    now = 1500;
    Deno.writeTextFileSync(`${path}.tmp`, "kept\n");
    Deno.renameSync(`${path}.tmp`, path);
    file.appendSync(bytes("4\n"));
    assert.equal(Deno.readTextFileSync(path), "kept\n");
    now = 2000;
    file.appendSync(bytes("5\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "kept\n5\n");
    assert.equal(Deno.readTextFileSync(`${path}.1`), "1\n2\n");
  }));

Deno.test("AppendHandle.truncateSync() empties the file and later appends start at its top", () =>
  inTempDir((dir) => {
    const path = `${dir}/inbox.jsonl`;
    const file = new AppendHandle(path, { fsync: true });
    file.appendSync(bytes("a\nb\n"));
    file.truncateSync();
    assert.equal(Deno.readTextFileSync(path), "");
    file.appendSync(bytes("c\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "c\n");
  }));

Deno.test("AppendHandle.appendSync() throws when the file cannot be written, and every time after", () => {
  // Linux's /dev/full fails every write with ENOSPC, like a full disk.
  const file = new AppendHandle("/dev/full");
  assert.throws(() => file.appendSync(bytes("a\n")), /No space left on device/);
  assert.throws(() => file.appendSync(bytes("b\n")), /No space left on device/);
  assert.equal(openPaths().includes("/dev/full"), false);
});

Deno.test("AppendHandle.appendSync() throws when the path cannot be opened, and works once it can", () =>
  inTempDir((dir) => {
    const path = `${dir}/ledger.jsonl`;
    Deno.mkdirSync(path);
    const file = new AppendHandle(path);
    assert.throws(() => file.appendSync(bytes("a\n")), Deno.errors.IsADirectory);
    Deno.removeSync(path);
    file.appendSync(bytes("b\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "b\n");
  }));

Deno.test("AppendHandle with lines ends a line torn by a crash before appending, and only then", () =>
  inTempDir((dir) => {
    const path = `${dir}/inbox.jsonl`;
    Deno.writeTextFileSync(path, '{"n":1}\n{"n":2,"at":"2026-');
    const file = new AppendHandle(path, { lines: true });
    file.appendSync(bytes('{"n":3}\n'));
    file.appendSync(bytes('{"n":4}\n'));
    file.close();
    assert.equal(Deno.readTextFileSync(path), '{"n":1}\n{"n":2,"at":"2026-\n{"n":3}\n{"n":4}\n');

    // A file that ends a line, an empty one, and one emptied: nothing is added.
    for (const start of ['{"n":1}\n', ""]) {
      Deno.writeTextFileSync(path, start);
      const again = new AppendHandle(path, { lines: true });
      again.appendSync(bytes('{"n":5}\n'));
      again.close();
      assert.equal(Deno.readTextFileSync(path), `${start}{"n":5}\n`);
    }
    Deno.writeTextFileSync(path, '{"n":6');
    const emptied = new AppendHandle(path, { lines: true });
    emptied.truncateSync();
    emptied.appendSync(bytes('{"n":7}\n'));
    emptied.close();
    assert.equal(Deno.readTextFileSync(path), '{"n":7}\n');
  }));

Deno.test("AppendHandle with lines looks again at a file put in its place", () =>
  inTempDir((dir) => {
    const path = `${dir}/deliveries.jsonl`;
    const file = new AppendHandle(path, { lines: true, recheckMs: 0 });
    file.appendSync(bytes("a\n"));
    Deno.writeTextFileSync(`${path}.tmp`, "b\nc");
    Deno.renameSync(`${path}.tmp`, path);
    file.appendSync(bytes("d\n"));
    file.close();
    assert.equal(Deno.readTextFileSync(path), "b\nc\nd\n");
  }));
