import { assertEquals, assertThrows, assertTrue } from "../../tests/support/assert.ts";
import { indexProcessCommand, indexProcessFlags } from "./index_process.ts";

Deno.test("indexProcessFlags() grants FFI and the index directory, and nothing else", () => {
  const flags = indexProcessFlags("/srv/agent/data/memory/search");
  assertEquals(flags, [
    "--no-prompt",
    "--frozen",
    "--cached-only",
    "--no-remote",
    "--allow-ffi",
    "--allow-read=/srv/agent/data/memory/search",
    "--allow-write=/srv/agent/data/memory/search",
  ]);
  for (
    const denied of [
      "--allow-net",
      "--allow-env",
      "--allow-run",
      "--allow-sys",
      "-A",
      "--allow-all",
    ]
  ) {
    assertTrue(!flags.some((flag) => flag.startsWith(denied)), denied);
  }
  assertThrows(() => indexProcessFlags("/data/a,b"), TypeError, "cannot hold a comma");
});

Deno.test("indexProcessCommand() runs the child module with those flags and its arguments", () => {
  const { command, args } = indexProcessCommand({
    indexDir: "/data/search",
    model: "nomic-embed-text",
    denoPath: "/usr/bin/deno",
    denoConfig: "/app/deno.json",
  });
  assertEquals(command, "/usr/bin/deno");
  assertEquals(args.slice(0, 3), ["run", "--quiet", "--config=/app/deno.json"]);
  assertEquals(args.slice(3, 10), indexProcessFlags("/data/search"));
  assertTrue(args[10]!.endsWith("/src/search/index_child.ts"));
  assertEquals(args.slice(11), ["--dir=/data/search", "--model=nomic-embed-text"]);
});
