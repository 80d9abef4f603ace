/**
 * The HTTP senders of `webhooks.ts`, in a worker of their own so that they run on another
 * thread than the server they measure. Receives `{ url, deliveries, senders }`, answers
 * `{ seconds, latencies }` or `{ error }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />

interface Job {
  url: string;
  deliveries: { body: string; headers: Record<string, string> }[];
  senders: number;
}

self.onmessage = async (event: MessageEvent<Job>) => {
  const { url, deliveries, senders } = event.data;
  let next = 0;
  const latencies: number[] = [];
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: senders }, async () => {
      while (next < deliveries.length) {
        const { body, headers } = deliveries[next++]!;
        const at = performance.now();
        const response = await fetch(url, { method: "POST", body, headers });
        await response.body?.cancel();
        if (response.status !== 202) throw new Error(`Expected 202, got ${response.status}`);
        latencies.push(performance.now() - at);
      }
    }));
    self.postMessage({ seconds: (performance.now() - started) / 1000, latencies });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
