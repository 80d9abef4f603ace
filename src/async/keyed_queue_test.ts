import { assertEquals } from "../../tests/support/assert.ts";
import { KeyedQueue } from "./keyed_queue.ts";

function deferred() {
  return Promise.withResolvers<void>();
}

Deno.test("KeyedQueue runs one key's tasks in order", async () => {
  const queue = new KeyedQueue();
  const order: number[] = [];
  const gate = deferred();
  const first = queue.run("a", async () => {
    await gate.promise;
    order.push(1);
  });
  const second = queue.run("a", () => Promise.resolve(order.push(2)));
  gate.resolve();
  await Promise.all([first, second]);
  assertEquals(order, [1, 2]);
});

Deno.test("KeyedQueue lets another key pass a slow one", async () => {
  const queue = new KeyedQueue();
  const order: string[] = [];
  const gate = deferred();
  const slow = queue.run("a", async () => {
    await gate.promise;
    order.push("a");
  });
  await queue.run("b", () => Promise.resolve(order.push("b")));
  gate.resolve();
  await slow;
  assertEquals(order, ["b", "a"]);
});

Deno.test("KeyedQueue keeps going after a failed task", async () => {
  const queue = new KeyedQueue();
  const failed = queue.run("a", () => Promise.reject(new Error("boom")));
  const next = queue.run("a", () => Promise.resolve("ok"));
  await failed.catch(() => {});
  assertEquals(await next, "ok");
  await queue.idle();
  assertEquals(queue.active, 0);
});
