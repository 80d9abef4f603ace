import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { buildConfigSubmit, buildInstantRoom, hasRoomConfig } from "./xep_0045_muc_owner.ts";
import { parseXml } from "./_xml.ts";

const FORM = parseXml(
  '<iq type="result"><query xmlns="http://jabber.org/protocol/muc#owner">' +
    '<x xmlns="jabber:x:data" type="form">' +
    '<field var="FORM_TYPE" type="hidden"><value>http://jabber.org/protocol/muc#roomconfig</value></field>' +
    '<field var="muc#roomconfig_roomname" type="text-single"><value/></field>' +
    '<field var="muc#roomconfig_whois" type="list-single"><value>moderators</value></field>' +
    "</x></query></iq>",
);

Deno.test("buildInstantRoom() is an empty submitted form", () => {
  assertEquals(
    buildInstantRoom().toString(),
    '<query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="submit"/></query>',
  );
});

Deno.test("buildConfigSubmit() submits the offered fields it sets and names the others", () => {
  const { query, missing } = buildConfigSubmit(FORM, {
    name: "Dev",
    whois: "anyone",
    persistent: true,
  });
  assertEquals(
    query.toString(),
    '<query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="submit">' +
      '<field var="FORM_TYPE"><value>http://jabber.org/protocol/muc#roomconfig</value></field>' +
      '<field var="muc#roomconfig_roomname"><value>Dev</value></field>' +
      '<field var="muc#roomconfig_whois"><value>anyone</value></field></x></query>',
  );
  assertEquals(missing, ["muc#roomconfig_persistentroom"]);
  assertThrows(() => buildConfigSubmit(parseXml('<iq type="result"/>'), { name: "x" }), TypeError);
});

Deno.test("hasRoomConfig() is false for the service's defaults only", () => {
  assertEquals(hasRoomConfig({}), false);
  assertEquals(hasRoomConfig({ password: "pw" }), true);
  assertEquals(hasRoomConfig({ public: false }), true);
});
