import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { parseXml, xml } from "./_xml.ts";

Deno.test("xml() drops undefined attributes and empty children", () => {
  const el = xml("message", { to: "a@b", id: undefined }, undefined, xml("body", {}, "hi"));
  assertEquals(el.toString(), '<message to="a@b"><body>hi</body></message>');
});

Deno.test("parseXml() returns the single element", () => {
  const el = parseXml('<message to="a@b"><body>x &amp; y</body></message>');
  assertEquals(el.getChildText("body"), "x & y");
});

Deno.test("parseXml() rejects text that is not exactly one well-formed element", () => {
  for (const bad of ["", "hello", "<a>", "<a></b>", "<a/><b/>", "<a/>tail", "<a x='1' x='2'/"]) {
    assertThrows(() => parseXml(bad), SyntaxError, "Invalid XML");
  }
});
