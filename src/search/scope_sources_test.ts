import { join } from "node:path";
import { assertEquals } from "../../tests/support/assert.ts";
import { SHARED_SCOPE } from "./index_backend.ts";
import { listConversations, listSources } from "./scope_sources.ts";

const ALICE = "alice@example.org";

async function withFiles(files: string[], test: (dir: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "scope_sources_test_" });
  try {
    for (const file of files) {
      await Deno.mkdir(join(dir, file, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, file), "x\n");
    }
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const all = new Set(["memory", "sessions", "shared"] as const);

Deno.test("listSources() lists a conversation's notes and sessions, threads included", async () => {
  await withFiles([
    `${ALICE}/memory.md`,
    `${ALICE}/user.md`,
    `${ALICE}/identity.md`,
    `${ALICE}/history.jsonl`,
    `${ALICE}/sessions/20261120-100000.jsonl`,
    `${ALICE}/sessions/20250101-000000.md`,
    `${ALICE}/sessions/notes.txt`,
    `${ALICE}/threads/plans/history.jsonl`,
    `${ALICE}/threads/plans/sessions/20261121-000000.jsonl`,
    `${ALICE}/files/x_report.md`,
  ], (dir) => {
    const folders = { dataDir: dir, sharedDir: join(dir, "shared"), sources: all };
    const listed = listSources(ALICE, folders).map((
      file,
    ) => [file.source, file.kind, file.current]);
    assertEquals(listed, [
      ["user.md", "markdown", false],
      ["memory.md", "markdown", false],
      ["history.jsonl", "session", true],
      ["sessions/20250101-000000.md", "markdown", false],
      ["sessions/20261120-100000.jsonl", "session", false],
      ["threads/plans/history.jsonl", "session", true],
      ["threads/plans/sessions/20261121-000000.jsonl", "session", false],
    ]);
    const notesOnly = listSources(ALICE, { ...folders, sources: new Set(["memory"]) });
    assertEquals(notesOnly.map((file) => file.source), ["user.md", "memory.md"]);
  });
});

Deno.test("listSources() walks the shared folder's markdown, skipping hidden files and links", async () => {
  await withFiles([
    "shared/team.md",
    "shared/a/b/c/deep.md",
    "shared/a/b/c/d/too-deep.md",
    "shared/.draft.md",
    "shared/picture.png",
    `${ALICE}/memory.md`,
  ], async (dir) => {
    await Deno.symlink(join(dir, ALICE, "memory.md"), join(dir, "shared", "alice.md"));
    await Deno.symlink(join(dir, ALICE), join(dir, "shared", "alice"));
    const folders = { dataDir: dir, sharedDir: join(dir, "shared"), sources: all };
    assertEquals(listSources(SHARED_SCOPE, folders).map((file) => file.source), [
      "shared/a/b/c/deep.md",
      "shared/team.md",
    ]);
    assertEquals(listSources(SHARED_SCOPE, { ...folders, sources: new Set(["memory"]) }), []);
  });
});

Deno.test("listConversations() names the folders that are conversations", async () => {
  await withFiles([
    `${ALICE}/memory.md`,
    "team@conference.example.org/history.jsonl",
    "search/shared.sqlite",
    "shared/team.md",
    "skills/state.json",
    "Not A Jid/x",
  ], (dir) => {
    assertEquals(listConversations(dir), [ALICE, "team@conference.example.org"]);
  });
});
