import { join } from "node:path";
import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import type { Chunk } from "./chunk.ts";
import { chunkSession } from "./chunk_session.ts";
import type { IndexBackend, IndexedFile } from "./index_backend.ts";
import { listSources } from "./scope_sources.ts";
import { syncScope } from "./scope_sync.ts";

/** An index that keeps chunks in a list, for comparing them with the chunker's own. */
function listIndex() {
  const files = new Map<string, IndexedFile>();
  let chunks: (Chunk & { source: string })[] = [];
  const backend = {
    vectors: false,
    files: () => Promise.resolve([...files.values()]),
    begin: (_scope: string, source: string, fromLine: number) => {
      files.delete(source);
      chunks = chunks.filter((c) => c.source !== source || c.lineFrom < fromLine);
      return Promise.resolve();
    },
    add: (_scope: string, source: string, added: readonly Chunk[]) => {
      chunks.push(...added.map((chunk) => ({ ...chunk, source })));
      return Promise.resolve();
    },
    commit: (_scope: string, file: IndexedFile) =>
      Promise.resolve(void files.set(file.source, file)),
    remove: (_scope: string, source: string) => backend.begin(_scope, source, 0),
  } as unknown as IndexBackend;
  return { backend, chunks: () => chunks.map(({ source: _, ...chunk }) => chunk) };
}

const ALICE = "alice@example.org";

function lines(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      type: "message",
      role: (from + i) % 2 === 0 ? "user" : "assistant",
      content: `message ${from + i} ${"lorem ipsum ".repeat(20 + ((from + i) % 30))}`,
      ts: "2026-11-20T10:00:00Z",
    }) + "\n").join("");
}

Deno.test("syncScope() chunks a long session in windows, and a grown one from its end, as if whole", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scope_sync_test_" });
  try {
    const path = join(dir, ALICE, "history.jsonl");
    await Deno.mkdir(join(dir, ALICE), { recursive: true });
    const header =
      JSON.stringify({ type: "session", version: 1, created: "2026-11-20T10:00:00Z", jid: ALICE }) +
      "\n";
    await Deno.writeTextFile(path, header + lines(0, 3000));
    const folders = {
      dataDir: dir,
      sharedDir: join(dir, "shared"),
      sources: new Set(["sessions"] as const),
    };
    const { backend, chunks } = listIndex();
    const whole = async () =>
      chunkSession({ bytes: await Deno.readFile(path), line: 1, byte: 0, seq: 0 }, {
        fallbackDate: new Date((await Deno.stat(path)).mtime!.getTime()).toISOString(),
      }).chunks;
    assertTrue((await Deno.stat(path)).size > 4 * 256 * 1024, "several windows");
    const first = await syncScope(backend, ALICE, listSources(ALICE, folders));
    assertEquals(first.indexed, ["history.jsonl"]);
    assertEquals(chunks(), await whole());
    // The session grows: the result is still what chunking the whole file gives.
    await Deno.writeTextFile(path, lines(3000, 500), { append: true });
    const second = await syncScope(backend, ALICE, listSources(ALICE, folders));
    assertTrue(second.chunks < first.chunks / 4, "only the end was chunked again");
    assertEquals(chunks(), await whole());
    // Nothing changed: nothing is done.
    assertEquals((await syncScope(backend, ALICE, listSources(ALICE, folders))).indexed, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
