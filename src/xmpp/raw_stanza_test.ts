import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { parseRawStanza, validateRawStanza } from "./raw_stanza.ts";

Deno.test("parseRawStanza() accepts one message, presence or iq", () => {
  assertEquals(parseRawStanza("  <presence to='r@m/n'/> ").name, "presence");
  assertEquals(parseRawStanza("<message to='a@b'><body>x</body></message>").name, "message");
  assertEquals(
    parseRawStanza("<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>").name,
    "iq",
  );
});

Deno.test("validateRawStanza() rejects what is not one stanza with a TypeError saying why", () => {
  const cases: [string, string][] = [
    ["hello", "Invalid XML"],
    ["<message/><message/>", "Invalid XML"],
    ["<message>", "Invalid XML"],
    ["<stream:features/>", "got <stream:features/>"],
    ["<foo/>", "got <foo/>"],
    ["<message xmlns='urn:x'/>", 'unexpected namespace "urn:x"'],
    ["<iq id='1'/>", "needs type"],
    ["<iq type='get'/>", "needs an id"],
  ];
  for (const [text, part] of cases) assertThrows(() => validateRawStanza(text), TypeError, part);
});
