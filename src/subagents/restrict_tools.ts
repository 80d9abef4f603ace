/**
 * The tools a sub-agent may call: a runner narrowed to an allowlist, and never the tools it
 * must not have (`spawn_agent`: one level deep; memory writes: its memory is read-only).
 *
 * @module
 */
import type { ToolCall, ToolContext, ToolResult, ToolRunner } from "../agent/mod.ts";

/** Options of {@linkcode restrictTools}. */
export interface RestrictToolsOptions {
  /** The only tools offered; `[]` = none. @default {every tool of the runner} */
  allow?: readonly string[] | undefined;
  /** Tools never offered, whatever `allow` says. @default {[]} */
  deny?: readonly string[];
}

/**
 * Narrows a runner. Definitions are read afresh each time (a skill disabled meanwhile is gone);
 * a call to a tool that is not offered gets an error result and never reaches the runner.
 *
 * @param runner The tools to narrow; `undefined` when there are none
 * @param options The allowlist and the tools always refused
 * @returns A runner, or `undefined` when nothing can be offered
 */
export function restrictTools(
  runner: ToolRunner | undefined,
  options: RestrictToolsOptions,
): ToolRunner | undefined {
  if (runner === undefined || options.allow?.length === 0) return undefined;
  const deny = new Set(options.deny ?? []);
  const allow = options.allow === undefined ? undefined : new Set(options.allow);
  const offered = (name: string) => !deny.has(name) && (allow === undefined || allow.has(name));
  return {
    definitions: () => runner.definitions().filter((tool) => offered(tool.name)),
    call(call: ToolCall, context: ToolContext): Promise<ToolResult> {
      if (offered(call.name)) return runner.call(call, context);
      return Promise.resolve({
        tool_use_id: call.id,
        content: `Tool ${JSON.stringify(call.name)} is not available to this agent`,
        is_error: true,
      });
    },
    tierOf: (name: string) => offered(name) ? runner.tierOf?.(name) : undefined,
  };
}
