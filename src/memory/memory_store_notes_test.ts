// The note files of MemoryStore on the real filesystem: replacing memory.md as one step, with
// what it held kept in memory.archive.md, and /forget erasing both.
import assert from "node:assert/strict";
import { join } from "node:path";
import { MemoryStore } from "./memory_store.ts";
import type { NoteFile } from "./memory_store.ts";
import type { MemoryChange } from "./memory_store_options.ts";

const JID = "alice@example.org";

async function withStore(
  test: (store: MemoryStore, dir: string, changes: MemoryChange[]) => Promise<void>,
) {
  const root = await Deno.makeTempDir({ prefix: "memory_store_notes_test_" });
  const changes: MemoryChange[] = [];
  const store = new MemoryStore(root, {
    durability: "datasync",
    onChange: (change) => changes.push(change),
  });
  try {
    await test(store, join(root, JID), changes);
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
}

const ARCHIVE = { name: "memory.archive.md", heading: "## Replaced 2026-12-01" } as const;

Deno.test("replaceNote() replaces memory.md, archives the old text, leaves no temporary file", async () => {
  await withStore(async (store, dir, changes) => {
    await store.appendNote(JID, "memory.md", "## 2026-11-30\n- Alice likes tea\n");
    assert.equal((await store.promptParts(JID)).memory, "## 2026-11-30\n- Alice likes tea\n");
    const old = await store.readNote(JID, "memory.md");
    assert.equal(
      await store.replaceNote(JID, "memory.md", "- Alice likes green tea\n", {
        expected: old,
        archive: ARCHIVE,
      }),
      true,
    );
    assert.equal(await Deno.readTextFile(join(dir, "memory.md")), "- Alice likes green tea\n");
    // Told as a change, so that memory search indexes the new text.
    assert.deepEqual(changes.at(-1), { jid: JID, kind: "append" });
    // The prompt shows the new text at once, not after the prompt files' reuse time.
    assert.equal((await store.promptParts(JID)).memory, "- Alice likes green tea\n");
    assert.equal(
      await Deno.readTextFile(join(dir, "memory.archive.md")),
      "\n## Replaced 2026-12-01\n\n## 2026-11-30\n- Alice likes tea\n",
    );
    await store.replaceNote(JID, "memory.md", "- Alice likes oolong\n", { archive: ARCHIVE });
    assert.equal(
      await Deno.readTextFile(join(dir, "memory.archive.md")),
      "\n## Replaced 2026-12-01\n\n## 2026-11-30\n- Alice likes tea\n" +
        "\n## Replaced 2026-12-01\n\n- Alice likes green tea\n",
    );
    const names = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
    assert.deepEqual(names, ["memory.archive.md", "memory.md"]);
  });
});

Deno.test("replaceNote() writes nothing when the file no longer holds the expected text", async () => {
  await withStore(async (store, dir) => {
    await store.appendNote(JID, "memory.md", "- Alice likes tea\n");
    const old = await store.readNote(JID, "memory.md");
    await store.appendNote(JID, "memory.md", "- Alice's cat is Tom\n");
    assert.equal(
      await store.replaceNote(JID, "memory.md", "- tea\n", { expected: old, archive: ARCHIVE }),
      false,
    );
    assert.equal(
      await Deno.readTextFile(join(dir, "memory.md")),
      "- Alice likes tea\n- Alice's cat is Tom\n",
    );
    assert.equal(await store.readNote(JID, "memory.archive.md"), null);
  });
});

Deno.test("replaceNote() refuses a bad JID, a name that is no note file, an archive into itself", async () => {
  await withStore(async (store) => {
    await assert.rejects(() => store.replaceNote("../etc", "memory.md", "x"), TypeError);
    await assert.rejects(
      () => store.replaceNote(JID, "../../passwd" as NoteFile, "x"),
      { name: "TypeError", message: 'Not a note file: "../../passwd"' },
    );
    await assert.rejects(
      () =>
        store.replaceNote(JID, "memory.md", "x", { archive: { ...ARCHIVE, name: "memory.md" } }),
      { name: "TypeError", message: "Cannot archive memory.md into itself" },
    );
    await assert.rejects(() => store.readNote(JID, "user.md" as NoteFile), TypeError);
    assert.equal(await store.readNote(JID, "memory.md"), null);
  });
});

Deno.test("forget() erases memory.archive.md with the notes", async () => {
  await withStore(async (store, dir) => {
    await store.appendNote(JID, "memory.md", "- Alice likes tea\n");
    await store.replaceNote(JID, "memory.md", "- tea\n", { archive: ARCHIVE });
    const removed = await store.forget(JID);
    assert.deepEqual(removed.sort(), ["memory.archive.md", "memory.md"]);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});
