/**
 * The settings of {@linkcode ContextManager} from the configuration: the budgets of
 * `[llm]` and `[[rooms]]`, the context window of the default model, `[memory]` compaction,
 * flush and the notes' token budget.
 *
 * @module
 */
import { contextWindow } from "../llm/mod.ts";
import type { ContextSettings } from "./context_manager.ts";

/** The part of the configuration the context reads. */
export interface ContextConfig {
  llm: {
    default: string;
    provider: string;
    dm_history_token_budget: number;
    muc_history_token_budget: number;
    max_history_messages?: number | undefined;
    context_windows: Readonly<Record<string, number>>;
    max_tokens_per_request: number;
    prompt_cache: boolean;
  };
  memory: { compaction: boolean; memory_flush: boolean; notes_token_budget: number };
  rooms: readonly { jid: string; history_token_budget?: number | undefined }[];
}

/**
 * The context settings of a configuration.
 *
 * @param config The validated configuration.
 * @returns The settings, and whether the model's context window was known (else assumed).
 */
export function contextSettings(config: ContextConfig): {
  settings: ContextSettings;
  knownWindow: boolean;
} {
  const { llm } = config;
  const window = contextWindow(llm.default, llm.context_windows);
  const roomBudgets: Record<string, number> = {};
  for (const room of config.rooms) {
    if (room.history_token_budget !== undefined) roomBudgets[room.jid] = room.history_token_budget;
  }
  return {
    knownWindow: window.known,
    settings: {
      dmBudget: llm.dm_history_token_budget,
      mucBudget: llm.muc_history_token_budget,
      roomBudgets,
      ...(llm.max_history_messages === undefined ? {} : { maxMessages: llm.max_history_messages }),
      contextWindow: window.tokens,
      modelId: llm.default,
      maxTokens: llm.max_tokens_per_request,
      // Only Anthropic caches on request; the others ignore the hints anyway.
      promptCache: llm.prompt_cache && llm.provider === "anthropic",
      compaction: config.memory.compaction,
      memoryFlush: config.memory.memory_flush,
      notesTokenBudget: config.memory.notes_token_budget,
    },
  };
}
