/**
 * What the context's tests share: a {@linkcode ContextManager} with the settings they start
 * from (budgets of 1,000 tokens, a 200k window, a fixed clock).
 *
 * @module
 */
import type { LlmClient } from "../llm/mod.ts";
import { type Logger, silentLogger } from "../log/mod.ts";
import { ContextManager, type ContextMemory, type ContextSettings } from "./context_manager.ts";

/** The clock of every test context: 2026-12-01 10:00 UTC. */
export const TEST_NOW = new Date("2026-12-01T10:00:00Z");

/** A context over `memory` and `llm`; `settings` changes the defaults. */
export function testContext(
  memory: ContextMemory,
  llm: LlmClient,
  options: { log?: Logger; settings?: Partial<ContextSettings> } = {},
): ContextManager {
  return new ContextManager({
    memory,
    llm,
    log: options.log ?? silentLogger(),
    now: () => TEST_NOW,
    settings: {
      dmBudget: 1000,
      mucBudget: 1000,
      contextWindow: 200_000,
      modelId: "anthropic:claude-sonnet-4-5",
      maxTokens: 1024,
      ...options.settings,
    },
  });
}
