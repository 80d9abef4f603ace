import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { bareJid, isBareJid, isDomain, normaliseBareJid, parseJid } from "./jid.ts";

Deno.test("parseJid() lower-cases local part and domain but keeps the resource", () => {
  assertEquals(parseJid("Alice@Example.ORG/Phone"), {
    local: "alice",
    domain: "example.org",
    resource: "Phone",
    bare: "alice@example.org",
  });
});

Deno.test("parseJid() accepts a domain JID", () => {
  assertEquals(parseJid("conference.localhost").bare, "conference.localhost");
});

Deno.test("parseJid() rejects JIDs that cannot be valid", () => {
  for (
    const bad of ["", "@localhost", "a b@localhost", "alice@", "alice@/r", "a@b/", "a@..", "a@x..y"]
  ) {
    assertThrows(() => parseJid(bad), TypeError, "Invalid JID");
  }
});

Deno.test("bareJid() returns undefined for an invalid JID", () => {
  assertEquals(bareJid("Bob@Localhost/x"), "bob@localhost");
  assertEquals(bareJid("bob@"), undefined);
});

Deno.test("one normal form: NFC, lower case, no trailing dot; the resource kept", () => {
  assertEquals(parseJid("JOSE\u0301@Example.ORG./Gajim laptop"), {
    local: "jos\u00e9",
    domain: "example.org",
    resource: "Gajim laptop",
    bare: "jos\u00e9@example.org",
  });
  assertEquals(normaliseBareJid("A@B.ORG."), "a@b.org");
  assertEquals(isBareJid("A@B.ORG."), true);
  assertEquals(isDomain("Conference.Localhost."), true);
});

Deno.test("what cannot be an address, or a folder, is refused by every check alike", () => {
  for (
    const bad of ["a\u200bb@x.org", "a\u202eb@x.org", "a b@x.org", "a\\b@x.org", ".x@y", "a@b@c"]
  ) {
    assertThrows(() => parseJid(bad), TypeError, "Invalid JID");
    assertThrows(() => normaliseBareJid(bad), TypeError, "Invalid JID");
    assertEquals(isBareJid(bad), false, bad);
    assertEquals(bareJid(bad), undefined, bad);
  }
  assertThrows(() => parseJid("a@x.org/res\u0000ource"), TypeError, "control character");
  assertEquals(isBareJid("x.org"), false, "a domain is not a bare JID with a local part");
  assertEquals(isDomain("a@x.org"), false);
});
