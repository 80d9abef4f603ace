import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { bareJid, parseJid } from "./jid.ts";

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
