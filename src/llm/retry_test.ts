import assert from "node:assert/strict";
import { LlmError } from "./llm_error.ts";
import { retry } from "./retry.ts";

function failing(kinds: (LlmError["kind"] | "ok")[], options: { retry_after_ms?: number } = {}) {
  let calls = 0;
  const attempt = () => {
    const kind = kinds[Math.min(calls++, kinds.length - 1)]!;
    if (kind === "ok") return Promise.resolve("answer");
    return Promise.reject(new LlmError(`Failed with "${kind}"`, { kind, ...options }));
  };
  return { attempt, calls: () => calls };
}

function recordingSleep() {
  const delays: number[] = [];
  const sleep = (ms: number) => {
    delays.push(ms);
    return Promise.resolve();
  };
  return { delays, sleep };
}

Deno.test("retry() retries server errors with growing delays, then returns the answer", async () => {
  const { attempt, calls } = failing(["server", "overloaded", "ok"]);
  const { delays, sleep } = recordingSleep();
  const result = await retry(attempt, { max_retries: 3, sleep, random: () => 0.5 });
  assert.equal(result, "answer");
  assert.equal(calls(), 3);
  assert.deepEqual(delays, [375, 750]);
});

Deno.test("retry() keeps jitter within half to all of the exponential delay", async () => {
  const low = recordingSleep();
  await retry(failing(["network", "ok"]).attempt, { sleep: low.sleep, random: () => 0 });
  const high = recordingSleep();
  await retry(failing(["network", "ok"]).attempt, { sleep: high.sleep, random: () => 0.999 });
  assert.deepEqual([low.delays, high.delays], [[250], [500]]);
});

Deno.test("retry() throws the last error after max_retries", async () => {
  const { attempt, calls } = failing(["rate_limit"]);
  const { sleep } = recordingSleep();
  await assert.rejects(retry(attempt, { max_retries: 2, sleep }), { kind: "rate_limit" });
  assert.equal(calls(), 3);
});

for (const kind of ["auth", "bad_request", "permission"] as const) {
  Deno.test(`retry() does not retry "${kind}" errors`, async () => {
    const { attempt, calls } = failing([kind, "ok"]);
    await assert.rejects(retry(attempt, { max_retries: 3, sleep: () => Promise.resolve() }), {
      kind,
    });
    assert.equal(calls(), 1);
  });
}

Deno.test("retry() waits as long as retry-after asks", async () => {
  const { attempt } = failing(["rate_limit", "ok"], { retry_after_ms: 7000 });
  const { delays, sleep } = recordingSleep();
  await retry(attempt, { sleep });
  assert.deepEqual(delays, [7000]);
});

Deno.test("retry() gives up when retry-after asks for more than max_delay_ms", async () => {
  const { attempt, calls } = failing(["rate_limit", "ok"], { retry_after_ms: 120_000 });
  await assert.rejects(retry(attempt, { max_delay_ms: 60_000, sleep: () => Promise.resolve() }), {
    kind: "rate_limit",
  });
  assert.equal(calls(), 1);
});

Deno.test("retry() passes other errors through untouched", async () => {
  let calls = 0;
  const bug = new RangeError("Bug in the adapter");
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(bug);
    }),
    (error) => error === bug,
  );
  assert.equal(calls, 1);
});

Deno.test("retry() turns an attempt that runs out of time into a timeout, not retried", async () => {
  let calls = 0;
  let aborted = false;
  const attempt = (signal: AbortSignal) => {
    calls++;
    signal.addEventListener("abort", () => aborted = true);
    return new Promise<string>(() => {}); // ignores its signal: the timeout must still win
  };
  await assert.rejects(retry(attempt, { timeout_ms: 20, max_retries: 3 }), (error) => {
    assert.ok(error instanceof LlmError);
    assert.equal(error.kind, "timeout");
    return true;
  });
  assert.equal(calls, 1);
  assert.ok(aborted, "the attempt's signal was aborted");
});

Deno.test("retry() rejects with the caller's reason when the caller aborts", async () => {
  const controller = new AbortController();
  const reason = new DOMException("User left", "AbortError");
  let calls = 0;
  const attempt = (signal: AbortSignal) => {
    calls++;
    return new Promise<string>((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason));
      controller.abort(reason);
    });
  };
  await assert.rejects(retry(attempt, { signal: controller.signal, max_retries: 3 }), (e) => {
    return e === reason;
  });
  assert.equal(calls, 1);
});

Deno.test("retry() stops waiting between attempts when the caller aborts", async () => {
  const controller = new AbortController();
  const { attempt, calls } = failing(["server", "ok"]);
  const pending = retry(attempt, {
    signal: controller.signal,
    base_delay_ms: 60_000,
    max_delay_ms: 120_000,
    on_retry: () => queueMicrotask(() => controller.abort(new Error("Stop"))),
  });
  await assert.rejects(pending, { message: "Stop" });
  assert.equal(calls(), 1);
});
