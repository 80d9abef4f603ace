import assert from "node:assert/strict";
import { secretScrubber } from "./secret_scrubber.ts";

Deno.test("secretScrubber() hides every occurrence of each secret", () => {
  const scrub = secretScrubber(["hunter2", "sk-ant-1"]);
  assert.equal(
    scrub("auth hunter2 failed; key=sk-ant-1, retry hunter2"),
    "auth ******** failed; key=********, retry ********",
  );
});

Deno.test("secretScrubber() hides a secret containing another one whole", () => {
  const scrub = secretScrubber(["abcd", "xxabcdxx"]);
  assert.equal(scrub("[xxabcdxx] [abcd]"), "[********] [********]");
});

Deno.test("secretScrubber() treats regular-expression characters literally", () => {
  const scrub = secretScrubber(["p.a$s*"]);
  assert.equal(scrub("p.a$s* pXa$s*"), "******** pXa$s*");
});

Deno.test("secretScrubber() ignores empty and very short secrets", () => {
  assert.equal(secretScrubber(["", "x"])("xmpp unchanged"), "xmpp unchanged");
});
