import { assertEquals } from "../../tests/support/assert.ts";
import { parseXml } from "./_xml.ts";
import {
  buildResume,
  failedCondition,
  hDistance,
  nextH,
  offersSm,
  parseEnabled,
  parseH,
} from "./xep_0198_stream_management.ts";

const NS = "urn:xmpp:sm:3";

Deno.test("parseEnabled() reads the session id, resumption and its window", () => {
  assertEquals(parseEnabled(parseXml(`<enabled xmlns='${NS}' id='s1' resume='true' max='600'/>`)), {
    id: "s1",
    resumable: true,
    maxSeconds: 600,
  });
  assertEquals(parseEnabled(parseXml(`<enabled xmlns='${NS}' resume='1'/>`)), { resumable: false });
  assertEquals(parseEnabled(parseXml(`<enabled xmlns='${NS}' id='s2'/>`)), {
    id: "s2",
    resumable: false,
  });
});

Deno.test("parseH() accepts only unsigned 32-bit counts", () => {
  const h = (value: string) => parseH(parseXml(`<a xmlns='${NS}' h='${value}'/>`));
  assertEquals(h("0"), 0);
  assertEquals(h("4294967295"), 4294967295);
  assertEquals(h("4294967296"), undefined);
  assertEquals(h("-1"), undefined);
  assertEquals(h("1e3"), undefined);
  assertEquals(parseH(parseXml(`<a xmlns='${NS}'/>`)), undefined);
});

Deno.test("h arithmetic wraps at 2^32", () => {
  assertEquals(nextH(4294967295), 0);
  assertEquals(hDistance(4294967295, 1), 2);
  assertEquals(hDistance(5, 5), 0);
});

Deno.test("buildResume() names the session and what was handled; features and failures read", () => {
  assertEquals(buildResume("s1", 7).toString(), `<resume xmlns="${NS}" previd="s1" h="7"/>`);
  const features = parseXml(
    `<stream:features xmlns:stream='http://etherx.jabber.org/streams'><sm xmlns='${NS}'/></stream:features>`,
  );
  assertEquals(offersSm(features), true);
  const failed = parseXml(
    `<failed xmlns='${NS}' h='3'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>`,
  );
  assertEquals(failedCondition(failed), "item-not-found");
  assertEquals(parseH(failed), 3);
});
