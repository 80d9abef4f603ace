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
