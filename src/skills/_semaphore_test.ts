import assert from "node:assert/strict";
import { Semaphore } from "./_semaphore.ts";

Deno.test("Semaphore lets no more than its limit run at once, the rest in order", async () => {
  const slots = new Semaphore(2);
  const order: string[] = [];
  const first = await slots.acquire();
  const second = await slots.acquire();
  const third = slots.acquire().then((release) => {
    order.push("third");
    return release;
  });
  const fourth = slots.acquire().then((release) => {
    order.push("fourth");
    return release;
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(order, []);
  first();
  (await third)();
  second();
  (await fourth)();
  assert.deepEqual(order, ["third", "fourth"]);
});
