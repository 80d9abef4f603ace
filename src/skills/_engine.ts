import { sourceUrl } from "../build/mod.ts";
import { classifyDenial, type HostMessage, type SkillMessage } from "./skill_protocol.ts";

/** What running one call produced, before the runner turns it into a tool result. */
export type EngineOutcome =
  | SkillMessage
  | { type: "timeout" }
  | { type: "cancelled" }
  | { type: "memory"; message: string }
  | { type: "crashed"; message: string };

/** One call for an engine. */
export interface EngineRequest {
  /** The skill module (`mod.ts`). */
  module: URL;
  /**
   * Load the module inside the sandbox, under the sandbox's permissions (user skills); else
   * it is imported by the boot module, with the agent's (built-ins).
   */
  confined: boolean;
  message: HostMessage;
  timeoutMs: number;
  /** Stops the call when aborted: its result is no longer wanted. @default {never} */
  signal?: AbortSignal | undefined;
}

/**
 * Builds the tiny module a worker or child boots from, and the message it is sent. A
 * built-in is imported statically by the boot module (its code is the agent's own); a user
 * skill's module is named in the message and imported by the serving side, so everything
 * it loads passes the sandbox's permission checks.
 *
 * @param serveFile The serving side's file in `src/skills/` (`worker_main.ts`, `child_main.ts`)
 */
export function bootModule(
  request: EngineRequest,
  serveFile: string,
  serve: string,
): { url: string; message: HostMessage } {
  const serveUrl = sourceUrl(`src/skills/${serveFile}`).href;
  const serving = `import { ${serve} } from ${JSON.stringify(serveUrl)};\n`;
  const source = request.confined
    ? `${serving}await ${serve}();\n`
    : `import * as skill from ${JSON.stringify(request.module.href)};\n` +
      `${serving}await ${serve}(skill);\n`;
  return {
    url: `data:text/javascript,${encodeURIComponent(source)}`,
    message: request.confined
      ? { ...request.message, module: request.module.href }
      : request.message,
  };
}

/** A sandbox that failed outside `run` (e.g. while loading) may still have been denied. */
export function crashOutcome(message: string): EngineOutcome {
  const name = /\b(NotCapable|PermissionDenied|TypeError)\b/.exec(message)?.[1];
  if (name !== undefined) {
    const error = new Error(message);
    error.name = name;
    const denial = classifyDenial(error);
    if (denial !== undefined) return { type: "denied", ...denial, message };
  }
  return { type: "crashed", message };
}
