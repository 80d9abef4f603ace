/**
 * The skill side inside a Web Worker. The host boots the worker from a tiny module that
 * imports this file (and, for a built-in, the skill itself). A user skill's module is
 * imported when the first request names it, so Deno checks its whole module graph against
 * the worker's own permissions: it reads its folder and nothing the manifest does not give.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { forbidExit, type HostMessage, serveRequest } from "./skill_protocol.ts";

/**
 * Answers the host's `run` message with the skill's result, then waits to be terminated.
 *
 * @param module The skill module imported at boot (built-ins); user skills load per request.
 */
export function serveWorker(module?: unknown): void {
  forbidExit(self);
  self.onmessage = async (event: MessageEvent<HostMessage>) => {
    if (event.data?.type !== "run") return;
    self.postMessage(await serveRequest(event.data, module));
  };
}
