/**
 * The composition root's usage and sub-agent parts: the usage ledger (every call's tokens, in
 * `{data dir}/usage/`), the client that records into it, the quota, `/usage`, and the
 * `spawn_agent` tool with the tools its sub-agents may have.
 *
 * @module
 */
import {
  buildSystemPrompt,
  currentTimeNote,
  type ToolRunner,
  type TurnMemory,
} from "../agent/mod.ts";
import { type Command, usageCommands } from "../commands/mod.ts";
import type { LoadedConfig } from "../config/mod.ts";
import type { LlmClient, TierModels } from "../llm/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AuditSink } from "../skills/mod.ts";
import { personaPrompt, restrictTools, SPAWN_AGENT, SpawnAgentTool } from "../subagents/mod.ts";
import { denoUsageFile, meteredLlm, Quota, UsageLedger, usageReport } from "../usage/mod.ts";

/** Tools that write memory: never a sub-agent's (its memory is read-only). */
const WRITING_TOOLS = ["memory_share"];

/** The ledger, the metered client, the quota and `/usage`. */
export interface UsageParts {
  ledger: UsageLedger;
  /** The client every caller that records usage goes through. */
  llm: LlmClient;
  quota: Quota;
  commands: Command[];
}

/**
 * Opens the usage ledger (reading this month back) and builds what uses it.
 *
 * @param loaded The config
 * @param llm The model router (or one model's client)
 * @param log Where ledger warnings go
 */
export async function setUpUsage(
  loaded: LoadedConfig,
  llm: LlmClient,
  log: Logger,
): Promise<UsageParts> {
  const { quota: settings } = loaded.config;
  const now = () => new Date();
  const ledger = await UsageLedger.open(denoUsageFile(`${loaded.dataDir}/usage`), {
    now,
    warn: (line) => log.warn(line),
  });
  const quota = new Quota(ledger, {
    dailyTokens: settings.daily_tokens,
    monthlyTokens: settings.monthly_tokens,
  }, { now });
  return {
    ledger,
    llm: meteredLlm(llm, ledger),
    quota,
    commands: usageCommands({
      report: (jid) => usageReport(jid, { ledger, quota, prices: settings.cost, now }),
    }),
  };
}

/** What {@linkcode spawnAgentTool} builds on. */
export interface SpawnAgentParts {
  /** The metered client. */
  llm: LlmClient;
  quota: Quota;
  memory: Pick<TurnMemory, "promptParts">;
  /** The tools sub-agents may start from (skills, memory search): never the scheduler's. */
  tools: ToolRunner | undefined;
  audit: AuditSink;
  scrub: (text: string) => string;
  log: Logger;
}

/**
 * The `spawn_agent` tool when `agent.allow_subagents` is on; `undefined` otherwise.
 *
 * @param loaded The config
 * @param parts The client, quota, memory, tools and audit log
 */
export function spawnAgentTool(
  loaded: LoadedConfig,
  parts: SpawnAgentParts,
): SpawnAgentTool | undefined {
  const { agent, llm: settings } = loaded.config;
  const names = Object.keys(settings.agents);
  if (!agent.allow_subagents) {
    if (names.length > 0) {
      parts.log.info(`[llm.agents] ${names.join(", ")} unused: agent.allow_subagents is false`);
    }
    return undefined;
  }
  const tools = restrictTools(parts.tools, { deny: [SPAWN_AGENT, ...WRITING_TOOLS] });
  const offered = new Set(tools?.definitions().map((tool) => tool.name) ?? []);
  for (const [name, named] of Object.entries(settings.agents)) {
    const missing = (named.skills ?? []).filter((skill) => !offered.has(skill));
    if (missing.length > 0) {
      parts.log.warn(
        `Agent ${name}: no tool ${
          missing.join(", ")
        } for it (not enabled, or not one a sub-agent may have)`,
      );
    }
  }
  return new SpawnAgentTool({
    llm: parts.llm,
    models: {
      default: settings.default,
      tiers: Object.fromEntries(
        Object.entries(settings.tiers).filter(([, id]) => id !== undefined),
      ) as TierModels["tiers"],
    },
    agents: settings.agents,
    tools,
    parentPrompt: async (jid) =>
      `${buildSystemPrompt(await parts.memory.promptParts(jid), { name: agent.name })}\n\n${
        currentTimeNote(new Date())
      }`,
    personaPrompt: (id) => personaPrompt(loaded.dataDir, id),
    maxConcurrent: agent.max_concurrent_subagents,
    timeoutSecs: agent.subagent_timeout,
    maxTokens: settings.max_tokens_per_request,
    maxRounds: agent.max_tool_rounds,
    refusal: (jid) => parts.quota.refusal(jid),
    audit: parts.audit,
    scrub: parts.scrub,
    log: parts.log,
  });
}
