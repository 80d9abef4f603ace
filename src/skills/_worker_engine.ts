/// <reference lib="deno.unstable" />
import { bootModule, crashOutcome, type EngineOutcome, type EngineRequest } from "./_engine.ts";
import type { SkillMessage } from "./skill_protocol.ts";

/**
 * Runs one call in a fresh Web Worker holding exactly `permissions`; terminates it when
 * it answers, fails, or runs out of time.
 */
export function runInWorker(
  request: EngineRequest,
  permissions: Deno.PermissionOptionsObject,
): Promise<EngineOutcome> {
  const { url, message } = bootModule(request, "./worker_main.ts", "serveWorker");
  return new Promise((resolve) => {
    const worker = new Worker(url, { type: "module", deno: { permissions } });
    const finish = (outcome: EngineOutcome) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ type: "timeout" }), request.timeoutMs);
    worker.onmessage = (event: MessageEvent<SkillMessage>) => finish(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish(crashOutcome(event.message));
    };
    worker.onmessageerror = () => finish({ type: "crashed", message: "Unreadable reply" });
    worker.postMessage(message);
  });
}
