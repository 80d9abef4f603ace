import { assertEquals } from "../../tests/support/assert.ts";
import { buildMamQuery, parseMamFin, parseMamResult } from "./xep_0313_mam.ts";
import { parseXml } from "./_xml.ts";

Deno.test("buildMamQuery() pages after an id, or asks only for the newest", () => {
  const after = buildMamQuery("q1", { after: "A" }, 50);
  assertEquals(after.attrs.queryid, "q1");
  const set = after.getChild("set", "http://jabber.org/protocol/rsm");
  assertEquals(set?.getChildText("max"), "50");
  assertEquals(set?.getChildText("after"), "A");
  const last = buildMamQuery("q2", { last: true }, 50);
  const lastSet = last.getChild("set", "http://jabber.org/protocol/rsm");
  assertEquals(lastSet?.getChildText("max"), "1");
  assertEquals(lastSet?.getChild("before") !== undefined, true);
  const start = buildMamQuery("q3", { start: "2026-01-01T00:00:00Z" }, 10);
  const field = start.getChild("x", "jabber:x:data")?.getChildren("field")
    .find((f) => f.attrs.var === "start");
  assertEquals(field?.getChildText("value"), "2026-01-01T00:00:00Z");
});

Deno.test("parseMamResult() reads only the results of its own query", () => {
  const stanza = parseXml(
    "<message><result xmlns='urn:xmpp:mam:2' queryid='q1' id='A1'>" +
      "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:00Z'/>" +
      "<message from='alice@localhost/x' type='chat'><body>hi</body></message>" +
      "</forwarded></result></message>",
  );
  const result = parseMamResult(stanza, "q1");
  assertEquals(result?.id, "A1");
  assertEquals(result?.stamp, "2026-01-01T00:00:00Z");
  assertEquals(result?.message.getChildText("body"), "hi");
  assertEquals(parseMamResult(stanza, "other"), undefined);
});

Deno.test("parseMamFin() tells whether the archive has more", () => {
  const fin = parseXml(
    "<iq type='result'><fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>" +
      "<last>Z9</last></set></fin></iq>",
  );
  assertEquals(parseMamFin(fin), { complete: false, last: "Z9" });
  const done = parseXml("<iq type='result'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>");
  assertEquals(parseMamFin(done), { complete: true });
});
