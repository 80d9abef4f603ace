/// <reference lib="deno.unstable" />
import { bootModule, crashOutcome, type EngineOutcome, type EngineRequest } from "./_engine.ts";
import type { SkillMessage } from "./skill_protocol.ts";

/**
 * Runs one call in a fresh Web Worker holding exactly `permissions`; terminates it when
 * it answers, fails, runs out of time, or the request's signal is aborted.
 */
export function runInWorker(
  request: EngineRequest,
  permissions: Deno.PermissionOptionsObject,
): Promise<EngineOutcome> {
  const { url, message } = bootModule(request, "worker_main.ts", "serveWorker");
  return new Promise((resolve) => {
    const worker = new Worker(url, { type: "module", deno: { permissions } });
    const cancel = () => finish({ type: "cancelled" });
    const finish = (outcome: EngineOutcome) => {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", cancel);
      worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ type: "timeout" }), request.timeoutMs);
    request.signal?.addEventListener("abort", cancel, { once: true });
    worker.onmessage = (event: MessageEvent<SkillMessage>) => finish(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish(crashOutcome(event.message));
    };
    worker.onmessageerror = () => finish({ type: "crashed", message: "Unreadable reply" });
    worker.postMessage(message);
  });
}
