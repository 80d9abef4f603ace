/**
 * The context a conversation's LLM calls see: the history under a token budget, compaction
 * into summary entries, the memory flush into `memory.md`, and prompt-cache hints and tallies.
 *
 * @module
 */
export { ContextManager } from "./context_manager.ts";
export type {
  ContextMemory,
  ContextSettings,
  Selection,
  SelectRequest,
} from "./context_manager.ts";
export { contextSettings } from "./context_from_config.ts";
export type { ContextConfig } from "./context_from_config.ts";
export { selectWindow } from "./select_window.ts";
export type { CutMark, SelectWindowOptions, WindowSelection } from "./select_window.ts";
export { isSummaryEntry, latestSummary } from "./summary_entry.ts";
export type { SummaryEntry } from "./summary_entry.ts";
export { notesToAppend, parseFacts } from "./memory_notes.ts";
export { DEFAULT_NOTES_TOKEN_BUDGET, notesInPrompt } from "./notes_in_prompt.ts";
export type { NotesInPromptOptions } from "./notes_in_prompt.ts";
export { consolidateNotes } from "./consolidate_notes.ts";
export type { ConsolidateNotesOptions, Consolidation } from "./consolidate_notes.ts";
export { summarise, transcript } from "./summariser.ts";
export { REMEMBER_HINT, rememberTool } from "./remember_tool.ts";
export { withCarryOver } from "./carry_over.ts";
