import { assertEquals } from "../../tests/support/assert.ts";
import { OutboundQueue } from "./_outbound_queue.ts";
import { xml } from "./_xml.ts";

function message(body: string) {
  return { element: xml("message", { to: "alice@localhost" }, xml("body", {}, body)), queuedAt: 0 };
}

function bodies(items: { element: { getChildText(name: string): string | null } }[]) {
  return items.map((item) => item.element.getChildText("body") ?? "(no body)");
}

Deno.test("OutboundQueue keeps nothing written on a stream without stream management", () => {
  const queue = new OutboundQueue();
  queue.written(message("a"));
  assertEquals(queue.unacknowledged, 0);
  assertEquals(queue.restartFrom(), 0);
});

Deno.test("OutboundQueue drops what the server acknowledges, across the 2^32 wrap", () => {
  const queue = new OutboundQueue();
  queue.track();
  for (const body of ["a", "b", "c"]) queue.written(message(body));
  assertEquals(queue.acknowledge(2), { acknowledged: 2, overrun: false });
  assertEquals(queue.unacknowledged, 1);
  assertEquals(queue.acknowledge(2), { acknowledged: 0, overrun: false });
  assertEquals(queue.acknowledge(5), { acknowledged: 1, overrun: true });

  const wrapped = new OutboundQueue();
  wrapped.track();
  wrapped.acknowledge(2 ** 32 - 1);
  wrapped.written(message("x"));
  wrapped.written(message("y"));
  assertEquals(wrapped.acknowledge(0), { acknowledged: 1, overrun: false });
  assertEquals(wrapped.unacknowledged, 1);
});

Deno.test("OutboundQueue resumes: unacknowledged stanzas go first, then what waited", () => {
  const queue = new OutboundQueue();
  queue.track();
  for (const body of ["1", "2", "3"]) queue.written(message(body));
  queue.hold(message("4"));
  queue.resumeFrom(1);
  assertEquals(bodies(queue.drain()), ["2", "3", "4"]);
  assertEquals(queue.tracking, true);
});

Deno.test("OutboundQueue restarts with the messages only, from the server's h when told", () => {
  const queue = new OutboundQueue();
  queue.track();
  queue.written(message("1"));
  queue.written({ element: xml("presence"), queuedAt: 0 });
  queue.written({ element: xml("message", { to: "a@b" }, xml("active")), queuedAt: 0 });
  queue.written(message("2"));
  queue.hold(message("3"));
  assertEquals(queue.restartFrom(1), 1);
  assertEquals(bodies(queue.drain()), ["2", "3"]);
  assertEquals(queue.tracking, false);
});

Deno.test("OutboundQueue keeps a reaction for the next session, not a receipt", () => {
  const queue = new OutboundQueue();
  queue.track();
  const reaction = xml(
    "message",
    { to: "a@b" },
    xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: "m1" }, xml("reaction", {}, "👍")),
  );
  const receipt = xml("message", { to: "a@b" }, xml("received", { xmlns: "urn:xmpp:receipts" }));
  queue.written({ element: receipt, queuedAt: 0 });
  queue.written({ element: reaction, queuedAt: 0 });
  assertEquals(queue.restartFrom(), 1);
  assertEquals(queue.drain().map((item) => item.element), [reaction]);
});
