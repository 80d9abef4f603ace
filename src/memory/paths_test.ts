import assert from "node:assert/strict";
import { dirname, resolve } from "node:path";
import { conversationDir, normaliseJid } from "./paths.ts";

Deno.test("normaliseJid() lower-cases a bare JID and a domain", () => {
  assert.equal(normaliseJid("Alice@Example.ORG"), "alice@example.org");
  assert.equal(normaliseJid("Conference.Example.org"), "conference.example.org");
  assert.equal(normaliseJid("room@conference.example.org"), "room@conference.example.org");
});

Deno.test("normaliseJid() drops the trailing dot of a fully qualified domain", () => {
  assert.equal(normaliseJid("bob@example.org."), "bob@example.org");
});

Deno.test("normaliseJid() keeps unicode that cannot escape, in one normal form", () => {
  assert.equal(normaliseJid("JOSÉ@例え.jp"), "josé@例え.jp");
  // "e" + combining acute (NFD) and the precomposed "é" name the same folder.
  assert.equal(normaliseJid("jose\u0301@x.org"), normaliseJid("jos\u00e9@x.org"));
  assert.equal(normaliseJid("%2e%2e@x.org"), "%2e%2e@x.org");
  assert.equal(normaliseJid("a\uff0fb@x.org"), "a\uff0fb@x.org"); // fullwidth solidus
  assert.equal(normaliseJid("[::1]"), "[::1]");
});

const hostile: Array<[string, RegExp]> = [
  ["", /empty/],
  [".", /relative path|starts with a dot/],
  ["..", /relative path/],
  ["../etc@x", /"\/"/],
  ["a@b/../../c", /"\/"/],
  ["alice@example.org/phone", /resource/],
  ["/etc/passwd", /"\/"/],
  ["a\\b@x.org", /contains "\\"/],
  ["..\\..\\x", /contains "\\"/],
  ["a\0b@x.org", /control/],
  ["a\nb@x.org", /control/],
  ["a b@x.org", /whitespace/],
  ["a\u200bb@x.org", /format/],
  ["a\u202eb@x.org", /format/],
  ["a\u3000b@x.org", /whitespace/],
  [".hidden@x.org", /starts with a dot/],
  ["...", /relative path|starts with a dot/],
  ["alice@", /domain is missing/],
  ["@example.org", /local part/],
  ["a@b@c", /more than one "@"/],
  ["a@.org", /empty label/],
  ["a@x..org", /empty label/],
  ["a@x.org..", /empty label/],
  ["%2e%2e", /forbidden character/],
  ["a@ex%2fample", /forbidden character/],
  ["a:b@x.org", /local part/],
  ["a<b@x.org", /local part/],
  ["a@x:5222", /forbidden character/],
  ["a".repeat(1024) + "@x.org", /255 bytes/],
  ["a".repeat(300) + "@x.org", /255 bytes/],
];

for (const [jid, message] of hostile) {
  const shown = jid.length > 40 ? `a ${jid.length}-character JID` : JSON.stringify(jid);
  Deno.test(`normaliseJid() rejects ${shown}`, () => {
    assert.throws(() => normaliseJid(jid), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^Invalid JID/);
      assert.match(error.message, message);
      return true;
    });
  });
}

Deno.test("normaliseJid() rejects a value that is not a string", () => {
  assert.throws(() => normaliseJid(42 as unknown as string), TypeError);
});

Deno.test("conversationDir() is a direct child of the root", () => {
  for (const root of ["/data/memory", "/data/memory/", "data/memory", "./data", "/"]) {
    const dir = conversationDir(root, "Alice@Example.org");
    assert.equal(resolve(dirname(dir)), resolve(root));
    assert.ok(dir.endsWith("alice@example.org"));
  }
});

Deno.test("conversationDir() validates before any filesystem call", () => {
  // No permission is needed: a throw here proves nothing was touched.
  assert.throws(() => conversationDir("/nonexistent/root", "../../etc@x"), TypeError);
  assert.throws(() => conversationDir("/nonexistent/root", "a@b/../../c"), TypeError);
});

Deno.test("conversationDir() gives no folder to a domain named like the data directory's own files", () => {
  for (
    const name of [
      "rooms.json",
      "Contacts.JSON",
      "skills",
      "audit",
      "identity.md",
      "schedules.json",
      "search",
      "Shared",
    ]
  ) {
    assert.throws(() => conversationDir("/data", name), /keeps for itself/);
  }
  assert.equal(conversationDir("/data", "skills.example.org"), "/data/skills.example.org");
  assert.equal(conversationDir("/data", "rooms@json.example"), "/data/rooms@json.example");
});
