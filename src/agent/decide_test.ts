import { assertEquals } from "../../tests/support/assert.ts";
import { createLogger } from "../log/mod.ts";
import type { GroupchatEvent, MessageEvent } from "../xmpp/mod.ts";
import { Policy } from "./decide.ts";

const ROOM = "dev@conference.example.org";

function policy(options: { tools?: "allowed" | "everyone" } = {}) {
  return new Policy({
    rules: {
      allowedJids: ["alice@example.org", "admin@example.org"],
      allowedDomains: [],
      ownDomain: "example.org",
    },
    log: createLogger("test", { level: "error" }),
    devJids: ["alice@example.org"],
    adminJids: ["admin@example.org", "eve@elsewhere.org"],
    isRoom: (jid) => jid === ROOM,
    roomTools: () => options.tools ?? "allowed",
  });
}

function message(from: string, extra: Partial<MessageEvent> = {}): MessageEvent {
  return { type: "message", from, bare: from.split("/")[0]!, body: "hi", kind: "chat", ...extra };
}

function inRoom(nick: string, realJid?: string): GroupchatEvent {
  return {
    type: "groupchat",
    room: ROOM,
    nick,
    from: `${ROOM}/${nick}`,
    ...(realJid === undefined ? {} : { realJid }),
    body: "bot: hi",
    own: false,
    delayed: false,
  };
}

Deno.test("Policy gives an allowed person their own conversation and rights, a stranger nothing", () => {
  assertEquals(policy().decide(message("alice@example.org/phone")), {
    outcome: "accept",
    key: "alice@example.org",
    who: "alice@example.org",
    rights: { dev: true, erase: true, admin: false, tools: true },
  });
  assertEquals(policy().decide(message("eve@elsewhere.org/x")).outcome, "ignore");
});

Deno.test("Policy judges a room's speaker by the real JID the room vouches for", () => {
  assertEquals(policy().decide(inRoom("admin", "admin@example.org")), {
    outcome: "accept",
    key: ROOM,
    who: "admin@example.org",
    rights: { dev: false, erase: true, admin: true, tools: true },
  });
  // An admin JID that is not allowed gets no admin right: the lists are meant together.
  const eve = policy().decide(inRoom("eve", "eve@elsewhere.org"));
  assertEquals(eve.outcome === "accept" && eve.rights, {
    dev: false,
    erase: false,
    admin: false,
    tools: false,
  });
  const anonymous = policy({ tools: "everyone" }).decide(inRoom("someone"));
  assertEquals(anonymous.outcome === "accept" && anonymous.rights, {
    dev: false,
    erase: false,
    admin: false,
    tools: true,
  });
});

Deno.test("Policy keys a private message through a room by the occupant, never the room", () => {
  const decision = policy().decide(message(`${ROOM}/alice`, {
    occupant: { room: ROOM, nick: "alice", realJid: "alice@example.org" },
  }));
  assertEquals(decision.outcome === "accept" && decision.key, "alice@example.org");
  const hidden = policy().decide(message(`${ROOM}/bob`, { occupant: { room: ROOM, nick: "bob" } }));
  assertEquals(hidden.outcome, "ignore");
});

Deno.test("Policy sends webhooks and schedules to their conversation, webhooks without tools", () => {
  const webhook = policy().decide({
    type: "webhook",
    id: "d1",
    route: "/hooks/ci",
    to: "alice@example.org",
    mode: "agent",
    payload: "…",
    receivedAt: "2026-12-01T10:00:00Z",
  });
  assertEquals(webhook.outcome === "accept" && [webhook.key, webhook.rights.tools], [
    "alice@example.org",
    false,
  ]);
  const schedule = policy().decide({
    type: "schedule",
    id: "config:standup",
    origin: "config",
    conversation: ROOM,
    kind: "prompt",
    text: "stand-up",
    recurring: true,
    scheduledAt: "2026-12-01T09:00:00Z",
    firedAt: "2026-12-01T09:00:00Z",
    latenessMs: 0,
    catchUp: false,
  });
  assertEquals(schedule.outcome === "accept" && schedule.key, ROOM);
});
