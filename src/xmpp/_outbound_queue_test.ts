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

/** Whether `promise` has resolved, once pending callbacks have run. */
async function isSettled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => done = true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

Deno.test("OutboundQueue.settled() waits for the acknowledgement of what was queued, not later stanzas", async () => {
  const queue = new OutboundQueue();
  assertEquals(await isSettled(queue.settled()), true, "nothing queued");
  queue.track();
  const answer = message("answer");
  queue.hold(answer);
  const settled = queue.settled();
  for (const item of queue.drain()) queue.written(item);
  queue.written(message("later"));
  assertEquals(await isSettled(settled), false, "written is not acknowledged");
  // A resumption writes it again: still the same stanza.
  queue.resumeFrom(0);
  for (const item of queue.drain()) queue.written(item);
  assertEquals(await isSettled(settled), false);
  queue.acknowledge(1);
  assertEquals(await isSettled(settled), true);
  assertEquals(queue.unacknowledged, 1, "the later one still waits for its own");
});

Deno.test("OutboundQueue.settled() waits through a new session for a message, not for a chat state", async () => {
  const queue = new OutboundQueue();
  queue.track();
  queue.written({ element: xml("message", { to: "a@b" }, xml("composing")), queuedAt: 0 });
  const state = queue.settled();
  queue.written(message("answer"));
  const answer = queue.settled();
  assertEquals(queue.restartFrom(), 1);
  assertEquals(await isSettled(state), true, "the new session sends its own states");
  assertEquals(await isSettled(answer), false, "the answer goes again");
  queue.track();
  for (const item of queue.drain()) queue.written(item);
  assertEquals(await isSettled(answer), false);
  queue.acknowledge(1);
  assertEquals(await isSettled(answer), true);
  // Without stream management, written is all that can be known.
  queue.untrack();
  queue.hold(message("plain"));
  const plain = queue.settled();
  assertEquals(await isSettled(plain), false);
  for (const item of queue.drain()) queue.written(item);
  assertEquals(await isSettled(plain), true);
});
