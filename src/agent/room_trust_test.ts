import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { occupantIdentity, roomVouchesFor } from "./room_trust.ts";

Deno.test("roomVouchesFor() believes services on the agent's server or on the person's", () => {
  const server = "example.org";
  assertEquals(roomVouchesFor("dev@conference.example.org", "bob@other.net", server), true);
  assertEquals(roomVouchesFor("dev@muc.other.net", "bob@other.net", server), true);
  assertEquals(roomVouchesFor("dev@other.net", "bob@other.net", server), true);
  assertEquals(roomVouchesFor("dev@muc.evil.example", "alice@example.org", server), false);
  assertEquals(roomVouchesFor("dev@notexample.org", "alice@example.org", server), false);
});

Deno.test("occupantIdentity() gives the real JID only when the room may vouch for it", () => {
  const room = "dev@muc.evil.example";
  assertEquals(
    occupantIdentity(
      { room: "dev@conference.localhost", nick: "a", realJid: "a@x.org" },
      "localhost",
    ),
    { jid: "a@x.org" },
  );
  const hidden = occupantIdentity({ room, nick: "eve" }, "localhost");
  assertIncludes("reason" in hidden ? hidden.reason : "", "no real JID");
  const claimed = occupantIdentity({ room, nick: "eve", realJid: "alice@localhost" }, "localhost");
  assertIncludes("reason" in claimed ? claimed.reason : "", "cannot vouch");
});
