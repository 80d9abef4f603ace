/**
 * Slash commands: deterministic answers that never reach the LLM.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { contextCommand, debugCommand, historyCommand, rawCommand } from "./dev_commands.ts";
import { helpCommand, pingCommand, statusCommand } from "./info_commands.ts";
import { forgetCommand, newCommand } from "./session_commands.ts";

export { scheduleCommands } from "./schedule_commands.ts";
export type { ScheduleCommandSource } from "./schedule_commands.ts";

export { CommandRegistry, parseCommandLine } from "./command_registry.ts";
export type { CommandLine } from "./command_registry.ts";
export type {
  AgentStatus,
  Command,
  CommandContext,
  CommandMemory,
  CommandRights,
  ConversationControl,
  SessionRef,
} from "./command.ts";
export { compactCommand } from "./compact_command.ts";
export { formatDuration } from "./info_commands.ts";
export { tierCommands } from "./tier_commands.ts";
export { usageCommands } from "./usage_commands.ts";
export type { UsageSource } from "./usage_commands.ts";
export type { TierControl, TierView } from "./tier_commands.ts";
export {
  type MemoryCommandHit,
  memoryCommands,
  type MemoryCommandSearch,
  type MemoryCommandsOptions,
  type MemoryNotes,
} from "./memory_commands.ts";

/** The commands every agent has, in the order `/help` lists them. */
export function builtinCommands(): Command[] {
  return [
    helpCommand,
    statusCommand,
    newCommand,
    forgetCommand,
    pingCommand,
    debugCommand,
    contextCommand,
    historyCommand,
    rawCommand,
  ];
}
