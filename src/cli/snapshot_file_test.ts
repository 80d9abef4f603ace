import assert from "node:assert/strict";
import { lastSnapshot, snapshotFile } from "./snapshot_file.ts";

Deno.test("snapshotFile() reads back the newest state written, across a reopen", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/state/catchup.json`;
    const file = snapshotFile(path);
    assert.equal(await file.read(), undefined);
    await file.write('{"n":1}');
    await file.write('{"n":2}\n');
    assert.equal(await file.read(), '{"n":2}');
    file.close();
    const again = snapshotFile(path);
    await again.write('{"n":3}');
    assert.equal(await again.read(), '{"n":3}');
    assert.equal(await Deno.readTextFile(path), '{"n":1}\n{"n":2}\n{"n":3}\n');
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("snapshotFile() keeps only the newest state once the file passes its size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/catchup.json`;
    const file = snapshotFile(path, { compactBytes: 64 });
    for (let n = 0; n < 40; n++) await file.write(JSON.stringify({ n }));
    const text = await Deno.readTextFile(path);
    assert.ok(text.length <= 64, `the file grew to ${text.length} bytes`);
    assert.equal(await file.read(), '{"n":39}');
    file.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("snapshotFile() survives a line torn by a crash: the state before it, then new ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/catchup.json`;
    await Deno.writeTextFile(path, '{"n":1}\n{"n":2}\n{"n":');
    const file = snapshotFile(path);
    assert.equal(await file.read(), '{"n":2}');
    await file.write('{"n":4}');
    assert.equal(await file.read(), '{"n":4}');
    file.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lastSnapshot() reads a file an earlier version wrote whole, over several lines", () => {
  const old = JSON.stringify({ own: { id: "a", at: "2026-11-30T10:00:00Z" }, rooms: {} }, null, 2);
  assert.equal(JSON.parse(lastSnapshot(old)!).own.id, "a");
  assert.equal(lastSnapshot(""), undefined);
  assert.equal(lastSnapshot("not json\n"), undefined);
});
