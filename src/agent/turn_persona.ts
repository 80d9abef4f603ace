/**
 * What a conversation's active persona changes in its turns (the personas themselves live in
 * src/personas): the prompt files between the conversation's own and the global ones, the
 * tier of its answers, the only tools it is offered and its answers' token cap.
 *
 * @module
 */
import type { PromptLayer, PromptParts } from "../memory/mod.ts";
import type { ToolCall, ToolContext, ToolResult, ToolRunner, TurnContext } from "./turn.ts";

/** A persona as a turn uses it. */
export interface TurnPersona {
  /** Its prompt files, used where the conversation has none of its own. */
  prompt: PromptLayer;
  /** The tier of its answers, in place of `standard` (an image still asks for `vision`). */
  tier?: string;
  /** The only tools it is offered, by name; every tool when absent. */
  skills?: readonly string[];
  /** Its answers' token cap (the lower of this and the agent's). */
  maxTokens?: number;
}

/**
 * The conversation's prompt parts and persona, read together.
 *
 * @param jid The folder whose prompt parts apply (a bare JID or a room).
 * @param context The turn's memory and persona look-up.
 */
export async function promptWithPersona(
  jid: string,
  context: Pick<TurnContext, "memory" | "persona">,
): Promise<[PromptParts, TurnPersona | undefined]> {
  const persona = await context.persona?.(jid);
  const parts = persona === undefined
    ? await context.memory.promptParts(jid)
    : await context.memory.promptParts(jid, persona.prompt);
  return [parts, persona];
}

/**
 * The turn's collaborators as the persona changes them.
 *
 * @param context The agent's.
 * @param persona The active persona, if any.
 */
export function withPersona(context: TurnContext, persona: TurnPersona | undefined): TurnContext {
  if (persona === undefined) return context;
  const { tier, skills, maxTokens } = persona;
  const tierFor = context.tierFor;
  return {
    ...context,
    ...(maxTokens === undefined ? {} : { maxTokens: Math.min(maxTokens, context.maxTokens) }),
    ...(tier === undefined ? {} : {
      // Only the answers' own tier changes: vision and light calls keep theirs, and a tier
      // that /tier forces still wins.
      tierFor: (conversation: string, own: string) => {
        const asked = own === "standard" ? tier : own;
        return tierFor?.(conversation, asked) ?? asked;
      },
    }),
    ...(skills === undefined || context.tools === undefined
      ? {}
      : { tools: onlyTools(context.tools, skills) }),
  };
}

/**
 * A runner offering only the named tools; a call to any other is refused without running.
 *
 * @param runner The runner with every tool.
 * @param names The tools to keep.
 */
export function onlyTools(runner: ToolRunner, names: readonly string[]): ToolRunner {
  const allowed = new Set(names);
  return {
    definitions: () => runner.definitions().filter((tool) => allowed.has(tool.name)),
    call(call: ToolCall, context: ToolContext): Promise<ToolResult> {
      if (allowed.has(call.name)) return runner.call(call, context);
      return Promise.resolve({
        tool_use_id: call.id,
        content: `The tool "${call.name}" is not available to the current persona.`,
        is_error: true,
      });
    },
    ...(runner.tierOf === undefined ? {} : { tierOf: (name: string) => runner.tierOf!(name) }),
  };
}
