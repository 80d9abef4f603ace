import { assertEquals } from "../../tests/support/assert.ts";
import { checkInboxEvent } from "./inbox_event_check.ts";

const MESSAGE = {
  type: "message",
  from: "alice@example.org/phone",
  bare: "alice@example.org",
  body: "hi",
  kind: "chat",
};

Deno.test("checkInboxEvent() takes the events the inbox keeps", () => {
  assertEquals(checkInboxEvent(MESSAGE), { ok: true, event: MESSAGE as never });
  const room = {
    type: "groupchat",
    room: "dev@conference.example.org",
    nick: "alice",
    from: "dev@conference.example.org/alice",
    body: "hi",
  };
  assertEquals(checkInboxEvent(room).ok, true);
  const webhook = {
    type: "webhook",
    id: "e1",
    route: "/hooks/ci",
    to: "alice@example.org",
    mode: "notify",
    text: "Deployed",
    receivedAt: "2026-12-01T10:00:00Z",
  };
  assertEquals(checkInboxEvent(webhook).ok, true);
});

Deno.test("checkInboxEvent() refuses what a torn or edited inbox may hold", () => {
  const reasons = [
    null,
    "text",
    [MESSAGE],
    { type: "invite", room: "evil@conference.example.org", inviter: "alice@example.org" },
    { type: "message" },
    { ...MESSAGE, from: "eve@example.org/x" },
    { ...MESSAGE, kind: "groupchat" },
    {
      type: "groupchat",
      room: "dev@conference.example.org",
      nick: "x",
      from: "other@conference.example.org/x",
      body: "hi",
    },
    { type: "webhook", id: "e", route: "/r", to: "a@b", mode: "shell", receivedAt: "x" },
    { type: "schedule", id: "t", conversation: "a@b", text: "x", scheduledAt: "x", kind: "run" },
  ].map((value) => {
    const checked = checkInboxEvent(value);
    return checked.ok ? "taken" : checked.reason;
  });
  assertEquals(reasons.filter((reason) => reason === "taken"), []);
  assertEquals(reasons[3], 'an event of type "invite", which the inbox never keeps');
  assertEquals(
    reasons[5],
    'a message from "eve@example.org/x" filed under "alice@example.org"',
  );
});
