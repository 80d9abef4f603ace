import { assertEquals } from "../../tests/support/assert.ts";
import { countChars } from "./count_chars.ts";

Deno.test("countChars() counts code points", () => {
  assertEquals(countChars("a😀é"), 3);
  assertEquals(countChars(""), 0);
  assertEquals(countChars("😀".repeat(5)), 5, "a surrogate pair is one character");
});
