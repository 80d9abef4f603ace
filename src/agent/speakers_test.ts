import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { createLogger } from "../log/mod.ts";
import { Speakers } from "./speakers.ts";

const ROOM = "dev@conference.localhost";

function setup() {
  const logs: string[] = [];
  const speakers = new Speakers({
    rules: {
      allowedJids: ["alice@localhost"],
      allowedDomains: ["localhost"],
      ownDomain: "localhost",
    },
    log: createLogger("agent", { level: "debug", write: (line) => logs.push(line) }),
    serverDomain: "localhost",
    isRoom: (jid) => jid === ROOM,
  });
  return { speakers, logs };
}

Deno.test("Speakers.direct() keys a private message through a room by the occupant's real JID", () => {
  const { speakers, logs } = setup();
  const through = { from: `${ROOM}/al`, bare: ROOM };
  assertEquals(
    speakers.direct({
      ...through,
      occupant: { room: ROOM, nick: "al", realJid: "alice@localhost" },
    }, "message"),
    "alice@localhost",
  );
  assertEquals(
    speakers.direct({ ...through, occupant: { room: ROOM, nick: "al" } }, "message"),
    undefined,
  );
  assertEquals(
    speakers.direct(
      {
        ...through,
        from: `${ROOM}/e`,
        occupant: { room: ROOM, nick: "e", realJid: "eve@localhost" },
      },
      "message",
    ),
    undefined,
  );
  assertEquals(
    speakers.direct(through, "reaction"),
    undefined,
    "never the room's own conversation",
  );
  assertEquals(
    speakers.direct({ from: "alice@localhost/x", bare: "alice@localhost" }, "message"),
    "alice@localhost",
  );
  assertTrue(
    logs[0]!.includes(
      "Ignored a private message from dev@conference.localhost/al: the room does not tell",
    ),
  );
  assertTrue(
    logs[1]!.includes(
      'Ignored a private message from eve@localhost through dev@conference.localhost/e: "eve@localhost" is not in agent.allowed_jids',
    ),
  );
  assertTrue(logs[2]!.includes("Ignored a reaction from the room dev@conference.localhost itself"));
});

Deno.test("Speakers.inRoom() gives tools to allowed occupants, or to everyone when the room says so", () => {
  const { speakers } = setup();
  const alice = { room: ROOM, nick: "al", realJid: "alice@localhost" };
  const eve = { room: ROOM, nick: "e", realJid: "eve@localhost" };
  assertEquals(speakers.inRoom(alice), { jid: "alice@localhost", allowed: true, tools: true });
  assertEquals(speakers.inRoom(eve), { jid: "eve@localhost", allowed: false, tools: false });
  assertEquals(speakers.inRoom(eve, "everyone"), {
    jid: "eve@localhost",
    allowed: false,
    tools: true,
  });
  assertEquals(
    speakers.inRoom({ room: "x@muc.evil.example", nick: "m", realJid: "alice@localhost" }),
    { jid: undefined, allowed: false, tools: false },
    "a foreign service cannot vouch for alice",
  );
});
