/**
 * Sub-agents: the built-in tool `spawn_agent`, the run of one sub-agent (its task alone, its
 * own model, prompt and tools, nothing written, nothing sent), the tools it may have, and a
 * persona's prompt files.
 *
 * @module
 */
export { SPAWN_AGENT, SpawnAgentTool, SUBAGENT_NOTICE } from "./spawn_agent_tool.ts";
export type { NamedAgent, SpawnAgentOptions } from "./spawn_agent_tool.ts";
export { runSubagent } from "./run_subagent.ts";
export type { SubagentLlm, SubagentOutcome, SubagentRequest } from "./run_subagent.ts";
export { restrictTools } from "./restrict_tools.ts";
export type { RestrictToolsOptions } from "./restrict_tools.ts";
export { denoReadText, PERSONA_FILES, personaPrompt } from "./persona_prompt.ts";
export type { ReadText } from "./persona_prompt.ts";
