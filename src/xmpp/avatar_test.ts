import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { MAX_AVATAR_BYTES, readAvatar } from "./avatar.ts";

const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

Deno.test("readAvatar() knows a PNG, its size and its SHA-1", () => {
  const avatar = readAvatar(PNG, "a.png");
  assertEquals(avatar.type, "image/png");
  assertEquals([avatar.width, avatar.height], [1, 1]);
  assertEquals(avatar.sha1.length, 40);
});

Deno.test("readAvatar() refuses what is not an image, and an image too large", () => {
  assertThrows(() => readAvatar(new TextEncoder().encode("hello"), "a.txt"), TypeError);
  assertThrows(() => readAvatar(new Uint8Array(0), "empty.png"), RangeError);
  const large = new Uint8Array(MAX_AVATAR_BYTES + 1);
  large.set(PNG);
  assertThrows(() => readAvatar(large, "large.png"), RangeError);
});
