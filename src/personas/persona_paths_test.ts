import assert from "node:assert/strict";
import { resolve } from "node:path";
import { isPersonaId, personaId } from "./persona_id.ts";
import {
  activePersonaFile,
  globalPersonaDir,
  userPersonaDir,
  userPersonasDir,
} from "./persona_paths.ts";

const ROOT = "/data/memory";

Deno.test("personaId() lower-cases a valid id", () => {
  assert.equal(personaId("Researcher"), "researcher");
  assert.equal(personaId("code-review_2"), "code-review_2");
});

/** Names a person could type to reach outside the data directory, or to confuse it. */
const HOSTILE = [
  "",
  ".",
  "..",
  "../etc",
  "../../../../etc/passwd",
  "a/b",
  "a\\b",
  "/etc",
  "%2e%2e",
  "a\0b",
  "a\nb",
  "a b",
  "-rf",
  "_x",
  ".hidden",
  "\u2025",
  "a\u200bb",
  "ｅｔｃ",
  "x".repeat(33),
  "list",
  "Reset",
  "persona.toml",
];

Deno.test("personaId() refuses every name that is not a plain folder name", () => {
  for (const name of HOSTILE) {
    assert.throws(() => personaId(name), TypeError, JSON.stringify(name));
    assert.equal(isPersonaId(name), false, JSON.stringify(name));
  }
});

Deno.test("persona paths refuse a hostile name or JID before any path is made", () => {
  for (const name of HOSTILE) {
    assert.throws(() => globalPersonaDir(ROOT, name), TypeError);
    assert.throws(() => userPersonaDir(ROOT, "alice@example.org", name), TypeError);
  }
  for (const jid of ["../x@y", "a@b/../../c", "alice@example.org/phone", "personas", "."]) {
    assert.throws(() => userPersonasDir(ROOT, jid), TypeError, jid);
    assert.throws(() => activePersonaFile(ROOT, jid), TypeError, jid);
  }
});

Deno.test("persona paths stay where they belong", () => {
  assert.equal(globalPersonaDir(ROOT, "Tutor"), "/data/memory/personas/tutor");
  assert.equal(
    userPersonaDir(ROOT, "Alice@Example.org", "tutor"),
    "/data/memory/alice@example.org/personas/tutor",
  );
  assert.equal(
    activePersonaFile(ROOT, "dev@conference.example.org"),
    "/data/memory/dev@conference.example.org/active_persona.txt",
  );
  const dir = userPersonaDir("data/memory/", "bob@example.org", "x");
  assert.ok(resolve(dir).startsWith(resolve("data/memory") + "/"));
});
