/**
 * What a slash command is and what it may touch. Commands are deterministic: they never
 * reach the LLM.
 *
 * @module
 */

/** The memory operations commands use. */
export interface CommandMemory {
  /** Archives the current session; the archive's path, or `null` when it was empty. */
  archive(jid: string): Promise<string | null>;
  /** Erases the current session and the profile; archives are kept. */
  forget(jid: string): Promise<unknown>;
  /** Messages in the current session. */
  messageCount(jid: string): Promise<number>;
  /** Archived sessions. */
  archivedSessions(jid: string): Promise<number>;
}

/** Facts about the running agent, for `/status`. */
export interface AgentStatus {
  startedAt: Date;
  mode: string;
  provider: string;
  model: string;
  /** LLM calls and tokens since start. */
  usage: { calls: number; input_tokens: number; output_tokens: number };
}

/** What a command runs with. */
export interface CommandContext {
  /** The conversation: the sender's bare JID. */
  jid: string;
  /** The text after the command name, trimmed. */
  args: string;
  memory: CommandMemory;
  status: () => AgentStatus;
  now: () => Date;
  /** Every registered command, for `/help`. */
  commands: readonly Command[];
}

/** A slash command. */
export interface Command {
  /** The name without the slash. */
  name: string;
  /** Other names. */
  aliases?: string[];
  /** One line for `/help`. */
  summary: string;
  /** Runs the command and returns the reply. */
  run(context: CommandContext): Promise<string>;
}
