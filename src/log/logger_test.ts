import { assertEquals, assertExcludes } from "../../tests/support/assert.ts";
import { createLogger } from "./logger.ts";

Deno.test("createLogger() writes scoped lines at or above its level", () => {
  const lines: string[] = [];
  const log = createLogger("agent", {
    level: "info",
    write: (line) => lines.push(line),
    now: () => new Date("2026-01-02T03:04:05.000Z"),
  });
  log.debug("hidden");
  log.child("xmpp").warn("two\nlines");
  assertEquals(lines, ["2026-01-02T03:04:05.000Z WARN  agent/xmpp: two\\nlines"]);
});

Deno.test("createLogger() scrubs secrets from every line", () => {
  const lines: string[] = [];
  const log = createLogger("agent", {
    write: (line) => lines.push(line),
    scrub: (text) => text.replaceAll("s3cret", "********"),
  });
  log.error("login failed with password s3cret");
  assertExcludes(lines.join("\n"), "s3cret");
});
