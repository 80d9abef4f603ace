import { assertEquals } from "../../tests/support/assert.ts";
import { PresenceBook } from "./presence_book.ts";

Deno.test("PresenceBook follows a contact's resources and says when they come and go", () => {
  const book = new PresenceBook();
  assertEquals(book.isOffline("alice@x"), false, "unknown is not offline");
  assertEquals(book.update("alice@x", "alice@x/phone", true), "came online");
  assertEquals(book.update("alice@x", "alice@x/laptop", true), undefined);
  assertEquals(book.update("alice@x", "alice@x/phone", false), undefined);
  assertEquals(book.isOffline("alice@x"), false);
  assertEquals(book.update("alice@x", "alice@x/laptop", false), "went offline");
  assertEquals(book.isOffline("alice@x"), true);
  assertEquals(book.update("bob@x", "bob@x/a", false), "went offline", "first news: offline");
  book.clear();
  assertEquals(book.isOffline("bob@x"), false);
});

Deno.test("PresenceBook tells a contact seen available from one only ever heard offline", () => {
  const book = new PresenceBook();
  book.update("bob@x", "bob@x", false);
  assertEquals(book.seenAvailable("bob@x"), false, "an unavailable alone is not a sighting");
  book.update("alice@x", "alice@x/phone", true);
  book.update("alice@x", "alice@x/phone", false);
  assertEquals(book.seenAvailable("alice@x"), true);
  book.clear();
  assertEquals(book.seenAvailable("alice@x"), false);
});
