import { assertEquals } from "../../tests/support/assert.ts";
import { capsVerification } from "./xep_0115_caps.ts";

Deno.test("capsVerification() gives the hash of XEP-0115's simple example (§5.2)", () => {
  const ver = capsVerification([{ category: "client", type: "pc", name: "Exodus 0.9.1" }], [
    "http://jabber.org/protocol/disco#info",
    "http://jabber.org/protocol/disco#items",
    "http://jabber.org/protocol/muc",
    "http://jabber.org/protocol/caps",
  ]);
  assertEquals(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
});

Deno.test("capsVerification() counts a repeated feature once", () => {
  const identity = [{ category: "client", type: "bot", name: "Bot" }];
  assertEquals(capsVerification(identity, ["a", "b", "a"]), capsVerification(identity, ["b", "a"]));
});
