import { join } from "node:path";
import {
  assertEquals,
  assertIncludes,
  assertThrows,
  assertTrue,
} from "../../tests/support/assert.ts";
import { loadToml, MINIMAL_TOML } from "../config/_testing.ts";
import { createMemorySearch, searchPaths, searchProcesses } from "./create_memory_search.ts";

Deno.test("createMemorySearch() is off unless enabled, and keyword-only without an embedder", async () => {
  assertEquals(createMemorySearch(await loadToml(MINIMAL_TOML)), undefined);
  const loaded = await loadToml(`${MINIMAL_TOML}\n[memory.search]\nenabled = true\n`);
  const search = createMemorySearch(loaded);
  assertTrue(search !== undefined && !search.hybrid);
  await search!.close();
  assertEquals(searchProcesses(loaded), []);
});

Deno.test("createMemorySearch() uses the index process with an embedder, but not in an executable", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[memory.search]\nenabled = true\nprovider = "ollama"\n`,
  );
  const hybrid = createMemorySearch(loaded, { standalone: false });
  assertTrue(hybrid!.hybrid);
  await hybrid!.close();
  const warnings: string[] = [];
  const compiled = createMemorySearch(loaded, { standalone: true, warn: (m) => warnings.push(m) });
  assertTrue(!compiled!.hybrid);
  assertIncludes(warnings[0]!, "searching by keywords only");
  await compiled!.close();
  assertEquals(searchProcesses(loaded).map((p) => p.name), ["search index"]);
  assertIncludes(
    searchProcesses(loaded)[0]!.flags.join(" "),
    "--allow-read=/srv/agent/data/memory/search",
  );
});

Deno.test("searchPaths() resolves the shared folder, and a bad one is refused at start", async () => {
  const loaded = await loadToml(`${MINIMAL_TOML}\n[memory.shared]\npath = "../notes"\n`);
  assertEquals(searchPaths(loaded), {
    dataDir: "/srv/agent/data/memory",
    sharedDir: "/srv/notes",
    indexDir: join("/srv/agent/data/memory", "search"),
  });
  // Written so that only the resolved paths show it: the shared folder holds the data directory.
  const sneaky = await loadToml(
    `${MINIMAL_TOML}\n[memory]\npath = "/srv/agent/data/memory"\n[memory.search]\nenabled = true\n` +
      `[memory.shared]\npath = "data"\n`,
  );
  assertThrows(() => createMemorySearch(sneaky), TypeError, "Invalid memory.shared.path");
});
