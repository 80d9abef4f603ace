import { assertEquals } from "../../tests/support/assert.ts";
import { silentLogger } from "../log/mod.ts";
import type { MessageEvent } from "../xmpp/mod.ts";
import { Policy } from "./decide.ts";
import { Router } from "./router.ts";

function message(body: string): MessageEvent {
  return {
    type: "message",
    from: "alice@localhost/phone",
    bare: "alice@localhost",
    body,
    kind: "chat",
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A router whose server acknowledges when the test says (`deliveries[i]()`). */
function setup(options: { deliveryWaitMs?: number } = {}) {
  const log = silentLogger();
  const handled: string[] = [];
  const done: number[] = [];
  const deliveries: (() => void)[] = [];
  let recorded = 0;
  const router = new Router({
    policy: new Policy({
      rules: { allowedJids: ["alice@localhost"], allowedDomains: [], ownDomain: "localhost" },
      log,
      isRoom: () => false,
      roomTools: () => "allowed",
    }),
    log,
    now: () => new Date(),
    inbox: { record: () => ++recorded, done: (n) => done.push(n) },
    delivered: () => new Promise((resolve) => deliveries.push(() => resolve())),
    ...options,
    handlers: {
      conversation: (event) => {
        if (event.type === "message") handled.push(event.body);
        return Promise.resolve();
      },
      session: () => {},
    },
  });
  return { router, handled, done, deliveries };
}

Deno.test("Router marks an event done once the server has its answer, and only then starts the next", async () => {
  const { router, handled, done, deliveries } = setup();
  router.route(message("m1"));
  router.route(message("m2"));
  await tick();
  // Answered, not acknowledged: still in the inbox, and m2 waits.
  assertEquals([handled, done, deliveries.length], [["m1"], [], 1]);
  deliveries[0]!();
  await tick();
  assertEquals([handled, done], [["m1", "m2"], [1]]);
  deliveries[1]!();
  await router.idle();
  assertEquals(done, [1, 2]);
});

Deno.test("Router goes on when the server is slow to acknowledge, and keeps the event until it does", async () => {
  const { router, handled, done, deliveries } = setup({ deliveryWaitMs: 1 });
  router.route(message("m1"));
  router.route(message("m2"));
  await router.idle();
  assertEquals([handled, done], [["m1", "m2"], []]);
  deliveries[1]!();
  deliveries[0]!();
  await tick();
  assertEquals(done.sort(), [1, 2]);
});
