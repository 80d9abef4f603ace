import { assertEquals } from "../../tests/support/assert.ts";
import type { XmppAction } from "../xmpp/mod.ts";
import { PendingAcks } from "./pending_acks.ts";

const ack = (id: string) => ({
  type: "acknowledge" as const,
  to: "alice@x/phone",
  id,
  receipt: true,
  marker: "received" as const,
});

Deno.test("PendingAcks hands an acknowledgement taken in time to the caller, and sends none", async () => {
  const sent: XmppAction[] = [];
  const acks = new PendingAcks((action) => sent.push(action), 20);
  acks.hold(false, ack("m1"));
  assertEquals(acks.take("alice@x/phone", "m1"), { receipt: true });
  assertEquals(acks.take("alice@x/phone", "m1"), undefined, "taken once");
  await new Promise((resolve) => setTimeout(resolve, 40));
  assertEquals(sent, []);
});

Deno.test("PendingAcks sends an acknowledgement nobody took once its wait is over", async () => {
  const sent: XmppAction[] = [];
  const acks = new PendingAcks((action) => sent.push(action), 10);
  acks.hold(false, ack("m2"));
  await new Promise((resolve) => setTimeout(resolve, 30));
  assertEquals(sent, [ack("m2")]);
  assertEquals(acks.take("alice@x/phone", "m2"), undefined, "too late: it went alone");
  assertEquals(acks.take("bob@x/pc", undefined), undefined);
});

Deno.test("PendingAcks sends at once the acknowledgement of a message that waits", () => {
  const sent: XmppAction[] = [];
  const acks = new PendingAcks((action) => sent.push(action));
  acks.hold(true, ack("m3"));
  assertEquals(sent, [ack("m3")]);
  assertEquals(acks.take("alice@x/phone", "m3"), undefined);
});
