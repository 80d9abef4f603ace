import { assertEquals } from "../../tests/support/assert.ts";
import { errorMessage } from "./error_message.ts";

Deno.test("errorMessage() gives an error's message without its name", () => {
  assertEquals(errorMessage(new TypeError('Bad port "x"')), 'Bad port "x"');
  assertEquals(errorMessage(new Error("")), "");
});

Deno.test("errorMessage() gives an error subclass's own message", () => {
  class DiskError extends Error {
    override name = "DiskError";
  }
  assertEquals(errorMessage(new DiskError("Disk full")), "Disk full");
});

Deno.test("errorMessage() turns any other thrown value into its string", () => {
  assertEquals(errorMessage("timed out"), "timed out");
  assertEquals(errorMessage(42), "42");
  assertEquals(errorMessage(undefined), "undefined");
  assertEquals(errorMessage(null), "null");
  assertEquals(errorMessage({ code: "EPIPE" }), "[object Object]");
  assertEquals(errorMessage({ toString: () => "custom" }), "custom");
  assertEquals(errorMessage(Symbol("gone")), "Symbol(gone)");
});
