import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { checkSourceName, MemoryAccessError } from "./memory_excerpt.ts";

Deno.test("checkSourceName() accepts the names memory_search returns", () => {
  for (
    const name of [
      "memory.md",
      "sessions/20261127-091500.jsonl",
      "threads/t1/history.jsonl",
      "shared/team/café.md",
    ]
  ) {
    assertEquals(checkSourceName(name), name);
  }
});

Deno.test("checkSourceName() refuses traversal, absolute, encoded and look-alike names alike", () => {
  const refused = [
    "../x/memory.md",
    "a/../../b",
    "./memory.md",
    "/etc/passwd",
    "~/notes.md",
    "C:/x.md",
    "..%2Fx",
    "memory%2emd",
    "\uff0e\uff0e/x",
    "..\uff0fx",
    "a\\..\\b",
    "memory.md\u0000",
    "memory.md\u202e",
    "a//b",
    "x".repeat(301),
  ];
  for (const name of refused) {
    assertThrows(() => checkSourceName(name), MemoryAccessError, "No source");
  }
  assertThrows(() => checkSourceName(7), MemoryAccessError, "needs a source");
  assertThrows(() => checkSourceName(""), MemoryAccessError, "needs a source");
});
