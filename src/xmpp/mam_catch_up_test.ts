import { assertEquals, eventually } from "../../tests/support/assert.ts";
import { silentLogger } from "../log/mod.ts";
import { MamCatchUp } from "./mam_catch_up.ts";
import { parseXml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";

const OWN = "bot@localhost";

function result(queryId: string, id: string, inner: string, from?: string): XmlElement {
  return parseXml(
    `<message${from ? ` from='${from}'` : ""}><result xmlns='urn:xmpp:mam:2' ` +
      `queryid='${queryId}' id='${id}'><forwarded xmlns='urn:xmpp:forward:0'>${inner}` +
      "</forwarded></result></message>",
  );
}

/** An archive that answers each query with `pages` of results, through `catchUp.intercept`. */
function fakeArchive(catchUp: () => MamCatchUp, pages: ((queryId: string) => XmlElement[])[]) {
  const queries: XmlElement[] = [];
  const entity = {
    iqCaller: {
      request(iq: XmlElement) {
        const query = iq.getChild("query", "urn:xmpp:mam:2") as XmlElement;
        queries.push(query);
        const page = pages.shift() ?? (() => []);
        for (const stanza of page(query.attrs.queryid ?? "")) catchUp().intercept(stanza);
        const complete = pages.length === 0 ? " complete='true'" : "";
        return Promise.resolve(parseXml(
          `<iq type='result'><fin xmlns='urn:xmpp:mam:2'${complete}>` +
            "<set xmlns='http://jabber.org/protocol/rsm'><last>L</last></set></fin></iq>",
        ));
      },
    },
  } as unknown as XmppJsEntity;
  return { entity, queries };
}

Deno.test("MamCatchUp hands on what others sent, in order, and keeps where it stopped", async () => {
  let file: string | undefined = JSON.stringify({ own: { id: "A0", at: "2026-01-01T00:00:00Z" } });
  const received: string[] = [];
  const catchUp = new MamCatchUp({
    ownJid: OWN,
    logger: silentLogger(),
    file: {
      read: () => Promise.resolve(file),
      write: (text) => Promise.resolve(void (file = text)),
    },
    receive: (message) => received.push(message.getChildText("body") ?? ""),
  });
  const { entity, queries } = fakeArchive(() => catchUp, [
    (q) => [
      result(q, "A1", "<message from='alice@localhost/x' type='chat'><body>one</body></message>"),
      // The agent's own answer is in its archive too.
      result(q, "A2", `<message from='${OWN}/r' type='chat'><body>mine</body></message>`),
      // Only the agent's own server speaks for its archive.
      result(
        q,
        "A3",
        "<message from='alice@localhost/x' type='chat'><body>forged</body></message>",
        "eve@localhost",
      ),
    ],
    (q) => [
      result(q, "A4", "<message from='alice@localhost/x' type='chat'><body>two</body></message>"),
    ],
  ]);
  await catchUp.run(entity);
  await catchUp.flush();
  assertEquals(received, ["one", "two"]);
  const sets = queries.map((query) =>
    query.getChild("set", "http://jabber.org/protocol/rsm")?.getChildText("after")
  );
  assertEquals(sets, ["A0", "L"]);
  assertEquals(JSON.parse(file ?? "{}").own.id, "A4");
});

Deno.test("MamCatchUp marks the archive's end on its first run, handing nothing on", async () => {
  let file: string | undefined;
  const received: string[] = [];
  const catchUp = new MamCatchUp({
    ownJid: OWN,
    logger: silentLogger(),
    file: {
      read: () => Promise.resolve(file),
      write: (text) => Promise.resolve(void (file = text)),
    },
    receive: (message) => received.push(message.getChildText("body") ?? ""),
  });
  const { entity, queries } = fakeArchive(() => catchUp, [
    (q) => [
      result(q, "Z", "<message from='alice@localhost/x' type='chat'><body>old</body></message>"),
    ],
  ]);
  await catchUp.run(entity);
  await catchUp.flush();
  assertEquals(queries.length, 1);
  assertEquals(JSON.parse(file ?? "{}").own.id, "L");
  // The one result is the newest message, which marks the end: history, not news.
  assertEquals(received, []);
});

Deno.test("MamCatchUp starts anew when its file cannot be read, and keeps positions after that", async () => {
  let written: string | undefined;
  const catchUp = new MamCatchUp({
    ownJid: OWN,
    logger: silentLogger(),
    file: {
      read: () => Promise.reject(new Error("Permission denied (os error 13)")),
      write: (text) => Promise.resolve(void (written = text)),
    },
    receive: () => {},
  });
  const { entity } = fakeArchive(() => catchUp, [() => []]);
  await catchUp.run(entity);
  // A live message's position is saved; before, this save rejected with nothing to catch it.
  catchUp.observe({
    type: "message",
    from: "alice@localhost/x",
    bare: "alice@localhost",
    body: "hi",
    kind: "chat",
    stanzaId: "S1",
  });
  await catchUp.flush();
  assertEquals(JSON.parse(written ?? "{}").own.id, "S1");
});

function live(body: string, from = "alice@localhost/x", type = "chat"): XmlElement {
  return parseXml(`<message from='${from}' type='${type}'><body>${body}</body></message>`);
}

function catchUpFrom(file: string | undefined, options: { holdMs?: number; maxHeld?: number }) {
  const received: string[] = [];
  const catchUp = new MamCatchUp({
    ownJid: OWN,
    logger: silentLogger(),
    file: { read: () => Promise.resolve(file), write: () => Promise.resolve() },
    receive: (message) => received.push(message.getChildText("body") ?? ""),
    ...options,
  });
  return { catchUp, received };
}

const POSITION = JSON.stringify({ own: { id: "A0", at: "2026-01-01T00:00:00Z" } });

Deno.test("MamCatchUp keeps a live message for after the archive's, which are older", async () => {
  const { catchUp, received } = catchUpFrom(POSITION, {});
  const taken: boolean[] = [];
  const { entity } = fakeArchive(() => catchUp, [
    (q) => {
      taken.push(catchUp.intercept(live("sent as the agent came back")));
      // Rooms and the agent's own messages are not the person's conversation: they go on.
      taken.push(catchUp.intercept(live("room", "team@conference.localhost/bob", "groupchat")));
      taken.push(catchUp.intercept(live("carbon", `${OWN}/phone`)));
      return [
        result(q, "A1", "<message from='alice@localhost/x' type='chat'><body>one</body></message>"),
      ];
    },
    (q) => [
      result(q, "A2", "<message from='alice@localhost/x' type='chat'><body>two</body></message>"),
    ],
  ]);
  await catchUp.run(entity);
  assertEquals(taken, [true, false, false]);
  assertEquals(received, ["one", "two", "sent as the agent came back"]);
  // Once the archive is read, live messages go on as they come.
  assertEquals(catchUp.intercept(live("later")), false);
});

Deno.test("MamCatchUp lets live messages go on when the archive does not answer in time", async () => {
  const { catchUp, received } = catchUpFrom(POSITION, { holdMs: 20 });
  let answer = (_: XmlElement) => {};
  const entity = {
    iqCaller: {
      request: () => new Promise<XmlElement>((resolve) => answer = resolve),
    },
  } as unknown as XmppJsEntity;
  const running = catchUp.run(entity);
  assertEquals(catchUp.intercept(live("are you there?")), true);
  await eventually("the live message handed on", () => received.length === 1, 2_000);
  assertEquals(received, ["are you there?"]);
  assertEquals(catchUp.intercept(live("hello?")), false);
  answer(parseXml("<iq type='result'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>"));
  await running;
});

Deno.test("MamCatchUp keeps no more than its bound of live messages waiting", async () => {
  const { catchUp, received } = catchUpFrom(POSITION, { maxHeld: 2 });
  const taken: boolean[] = [];
  const { entity } = fakeArchive(() => catchUp, [
    (q) => {
      for (const body of ["a", "b", "c"]) taken.push(catchUp.intercept(live(body)));
      return [
        result(q, "A1", "<message from='alice@localhost/x' type='chat'><body>one</body></message>"),
      ];
    },
  ]);
  await catchUp.run(entity);
  // The third let the two before it go on, in order, and went on itself.
  assertEquals(taken, [true, true, false]);
  assertEquals(received, ["a", "b", "one"]);
});

Deno.test("MamCatchUp keeps a room's live messages for after the room's archive", async () => {
  const room = "team@conference.localhost";
  const file = JSON.stringify({ rooms: { [room]: { id: "R0", at: "2026-01-01T00:00:00Z" } } });
  const { catchUp, received } = catchUpFrom(file, {});
  const taken: boolean[] = [];
  const { entity } = fakeArchive(() => catchUp, [
    (q) => {
      taken.push(catchUp.intercept(live("now", `${room}/bob`, "groupchat")));
      // Another room's, and a person's, do not wait for this room's archive.
      taken.push(
        catchUp.intercept(live("elsewhere", "other@conference.localhost/bob", "groupchat")),
      );
      taken.push(catchUp.intercept(live("direct")));
      return [
        result(
          q,
          "R1",
          `<message from='${room}/bob' type='groupchat'><body>earlier</body></message>`,
          room,
        ),
      ];
    },
  ]);
  await catchUp.runRoom(entity, room);
  assertEquals(taken, [true, false, false]);
  assertEquals(received, ["earlier", "now"]);
});
