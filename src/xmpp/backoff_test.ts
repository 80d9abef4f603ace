import { assertEquals } from "../../tests/support/assert.ts";
import { Backoff } from "./backoff.ts";

Deno.test("Backoff doubles from 2 s up to a 60 s cap", () => {
  const backoff = new Backoff();
  const delays = Array.from({ length: 8 }, () => backoff.next());
  assertEquals(delays, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
});

Deno.test("Backoff resets after a connection that lasted 60 s", () => {
  const backoff = new Backoff();
  backoff.next();
  backoff.next();
  backoff.connected(1_000);
  backoff.disconnected(61_000);
  assertEquals(backoff.next(), 2000);
});

Deno.test("Backoff keeps growing after a short-lived connection", () => {
  const backoff = new Backoff();
  backoff.next();
  backoff.connected(1_000);
  backoff.disconnected(5_000);
  assertEquals(backoff.next(), 4000);
});
