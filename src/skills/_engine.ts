import type { HostMessage, SkillMessage } from "./skill_protocol.ts";

/** What running one call produced, before the runner turns it into a tool result. */
export type EngineOutcome =
  | SkillMessage
  | { type: "timeout" }
  | { type: "memory"; message: string }
  | { type: "crashed"; message: string };

/** One call for an engine. */
export interface EngineRequest {
  /** The skill module (`mod.ts`). */
  module: URL;
  message: HostMessage;
  timeoutMs: number;
}

/**
 * Builds the tiny module a worker or child boots from: it statically imports the skill and
 * the serving side, so loading the skill's code needs no read permission inside the sandbox.
 */
export function bootModule(module: URL, serveFile: string, serve: string): string {
  const serveUrl = new URL(serveFile, import.meta.url).href;
  const source = `import * as skill from ${JSON.stringify(module.href)};\n` +
    `import { ${serve} } from ${JSON.stringify(serveUrl)};\nawait ${serve}(skill);\n`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
