import { assertEquals } from "../../tests/support/assert.ts";
import type { MessageEvent } from "../xmpp/mod.ts";
import { MessageTracker } from "./message_tracker.ts";

const message = (id: string, extra: Partial<MessageEvent> = {}): MessageEvent => ({
  type: "message",
  from: "alice@localhost/phone",
  bare: "alice@localhost",
  body: id,
  kind: "chat",
  id,
  ...extra,
});

Deno.test("MessageTracker marks a waiting message corrected, not one already started", () => {
  const tracker = new MessageTracker();
  const key = "alice@localhost";
  const [first, second] = [message("m1"), message("m2")];
  tracker.arrived(key, first);
  tracker.arrived(key, second);
  assertEquals(tracker.start(key, first), { seq: 1 });
  // m1 has started: its correction is a correction of an answered message, later.
  assertEquals(tracker.arrived(key, message("c1", { replaces: "m1" })), false);
  assertEquals(tracker.arrived(key, message("c2", { replaces: "m2" })), true);
  assertEquals(tracker.start(key, second), { seq: 2, supersededBy: "c2" });
  assertEquals(tracker.hasNewer(key, 2), true);
  assertEquals(tracker.hasNewer(key, 4), false);
  assertEquals(tracker.hasNewer("bob@localhost", 0), false);
});

Deno.test("MessageTracker knows nothing of a message taken up after a restart", () => {
  const tracker = new MessageTracker();
  assertEquals(tracker.start("alice@localhost", message("old")), undefined);
});
