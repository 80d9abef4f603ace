/**
 * The tools a turn offers, from several runners (the skills, the scheduler, memory search):
 * one list of definitions, and each call sent to the runner that defines it.
 *
 * @module
 */
import type { ToolDefinition } from "../llm/mod.ts";
import type { ToolCall, ToolContext, ToolResult, ToolRunner } from "./turn.ts";

/**
 * One runner over several. Definitions are read afresh at each turn (a skill disabled by
 * `/skill disable` disappears at once); the first runner that defines a name wins, and a
 * name none defines goes to the first runner, which says why it cannot run.
 *
 * @param runners The runners, in order of precedence; absent ones are skipped.
 * @returns A runner, or `undefined` when none is given.
 */
export function toolSet(...runners: (ToolRunner | undefined)[]): ToolRunner | undefined {
  const present = runners.filter((runner) => runner !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const owner = (name: string) =>
    present.find((runner) => runner.definitions().some((tool) => tool.name === name));
  return {
    definitions(): ToolDefinition[] {
      const seen = new Set<string>();
      const all: ToolDefinition[] = [];
      for (const runner of present) {
        for (const tool of runner.definitions()) {
          if (seen.has(tool.name)) continue;
          seen.add(tool.name);
          all.push(tool);
        }
      }
      return all.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    },
    call(call: ToolCall, context: ToolContext): Promise<ToolResult> {
      // A name no runner offers goes to the first one (the skills), which can say why: a
      // disabled or refused skill, or none of that name.
      return (owner(call.name) ?? present[0]!).call(call, context);
    },
    tierOf(name: string): string | undefined {
      return owner(name)?.tierOf?.(name);
    },
  };
}
