/**
 * The `remember` tool: the model stores a fact in the conversation's `memory.md` when the person
 * asks it to ("remember that …"). The file is in every prompt, so the fact outlives any number
 * of compactions and sessions; `/memory` shows it and `/memory clear` empties it.
 *
 * @module
 */
import type { ToolContext, ToolRunner } from "../agent/mod.ts";
import type { ToolDefinition } from "../llm/mod.ts";
import { errorMessage } from "../log/mod.ts";

/** The longest fact stored, in characters. */
const MAX_FACT_CHARS = 500;

const DEFINITION: ToolDefinition = {
  name: "remember",
  description: "Store one durable fact about this conversation (a preference, a decision, a " +
    "name, a date) in your notes, which you see in every later conversation. Use it when the " +
    "person asks you to remember something. One self-contained sentence.",
  input_schema: {
    type: "object",
    properties: { fact: { type: "string", description: "The fact, in one sentence" } },
    required: ["fact"],
    additionalProperties: false,
  },
};

/** Told to the LLM when the tool is offered. */
export const REMEMBER_HINT = "When the person asks you to remember something, call `remember` " +
  "with it: your notes (memory.md) are in every prompt.";

/**
 * The tool over a notes writer (`ContextManager.remember`).
 *
 * @param notes Appends facts to a conversation's `memory.md`; how many were new.
 */
export function rememberTool(
  notes: { remember(jid: string, facts: readonly string[]): Promise<number> },
): ToolRunner {
  return {
    definitions: () => [structuredClone(DEFINITION)],
    async call(call, context: ToolContext) {
      const result = (content: string, is_error = false) => ({
        tool_use_id: call.id,
        content,
        is_error,
      });
      const keys = Object.keys(call.input);
      const fact = call.input.fact;
      if (keys.some((key) => key !== "fact") || typeof fact !== "string") {
        return result('Invalid input: expected { "fact": string }', true);
      }
      const text = fact.replaceAll(/\s+/g, " ").trim();
      if (text === "") return result("Invalid input: the fact is empty", true);
      if (text.length > MAX_FACT_CHARS) {
        return result(`Invalid input: the fact is longer than ${MAX_FACT_CHARS} characters`, true);
      }
      try {
        const added = await notes.remember(context.conversation, [text]);
        return result(added > 0 ? "Remembered." : "Already in your notes.");
      } catch (error) {
        return result(
          `Could not store it: ${errorMessage(error)}`,
          true,
        );
      }
    },
  };
}
