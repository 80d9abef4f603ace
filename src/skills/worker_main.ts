/**
 * The skill side inside a Web Worker. The host boots the worker from a tiny module that
 * statically imports the skill and this file, so the worker needs no read permission on
 * the skill's own code.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { executeSkill, type HostMessage } from "./skill_protocol.ts";

/**
 * Answers the host's `run` message with the skill's result, then waits to be terminated.
 *
 * @param module The imported skill module.
 */
export function serveWorker(module: unknown): void {
  self.onmessage = async (event: MessageEvent<HostMessage>) => {
    if (event.data?.type !== "run") return;
    self.postMessage(await executeSkill(module, event.data));
  };
}
