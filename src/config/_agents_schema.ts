// Named agents and sub-agents: `[llm.agents.<name>]` (each agent's model, persona, instructions,
// skills and answer size) and the `[agent]` keys that allow `spawn_agent` and bound it.
import { z } from "zod";
import { parseModelId } from "../llm/model_id.ts";
import { isTier, TIERS } from "../llm/tiers.ts";
import { bool, integer, table, text } from "./_schema_parts.ts";

/** The `[agent]` keys of sub-agents, spread into that table's shape. */
export const subagentSettings = {
  allow_subagents: bool().default(false),
  max_concurrent_subagents: integer(1, 32).default(3),
  subagent_timeout: integer(1, 3600).default(120),
};

const AGENT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const NAME_ERROR = 'expected a name of lower-case letters, digits, "_" and "-", like "researcher"';
const MODEL_ERROR = `expected a model id "provider:model" or a tier (${TIERS.join(", ")})`;
const TOOL_ERROR = 'expected a tool name of lower-case letters, digits and "_"';

/** A named agent's model: a model id, or the name of a tier. */
const agentModel = () =>
  z.string({ error: MODEL_ERROR }).check((context) => {
    if (isTier(context.value)) return;
    try {
      parseModelId(context.value);
    } catch {
      context.issues.push({ code: "custom", input: context.value, message: MODEL_ERROR });
    }
  }).transform((value) => isTier(value) ? value : parseModelId(value).id);

/** One `[llm.agents.<name>]` table. */
export const llmAgentTable = table({
  model: agentModel().optional(),
  persona: text(NAME_ERROR).regex(AGENT_NAME, { error: NAME_ERROR }).optional(),
  instructions: text().optional(),
  skills: z.array(
    text(TOOL_ERROR).regex(/^[a-z0-9_]{1,64}$/, { error: TOOL_ERROR }).refine(
      (name) => name !== "spawn_agent",
      { error: "expected tools other than spawn_agent: a sub-agent cannot start agents" },
    ),
    { error: "expected an array of tool names" },
  ).optional(),
  max_tokens: integer(1).optional(),
});

/** `[llm.agents]`: the named agents `spawn_agent` may start, by name. */
export const llmAgentsTable = z.record(
  z.string().regex(AGENT_NAME, { error: NAME_ERROR }),
  llmAgentTable,
  {
    error: (issue) =>
      issue.code === "invalid_key"
        ? `${NAME_ERROR} (a table name)`
        : "expected a table of agents, one [llm.agents.<name>] table each",
  },
);

/** One named agent as validated. */
export type LlmAgentConfig = z.output<typeof llmAgentTable>;
