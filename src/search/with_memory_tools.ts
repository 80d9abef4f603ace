import type {
  MemoryCallContext,
  MemoryToolCall,
  MemoryToolDefinition,
  MemoryToolResult,
  MemoryTools,
} from "./memory_tools.ts";

/** The agent's tool runner, structurally (`ToolRunner` in `src/agent/turn.ts`). */
export interface ToolRunnerLike {
  definitions(): MemoryToolDefinition[];
  call(call: MemoryToolCall, context: MemoryCallContext): Promise<MemoryToolResult>;
}

/**
 * One tool runner offering the memory tools beside others (the skills): definitions merged
 * and sorted by name, each call sent to whoever owns the tool. A skill named like a memory
 * tool is hidden by it.
 *
 * @param others The skills' runner, if any.
 * @example
 * ```ts
 * const tools = withMemoryTools(skills.tools, new MemoryTools(search));
 * ```
 */
export function withMemoryTools(
  others: ToolRunnerLike | undefined,
  memory: MemoryTools,
): ToolRunnerLike {
  return {
    definitions() {
      const own = memory.definitions();
      const names = new Set(own.map((definition) => definition.name));
      const rest = (others?.definitions() ?? []).filter((definition) =>
        !names.has(definition.name)
      );
      return [...own, ...rest].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    },
    call(call, context) {
      if (memory.handles(call.name) || others === undefined) return memory.call(call, context);
      return others.call(call, context);
    },
  };
}
