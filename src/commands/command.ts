/**
 * What a slash command is and what it may touch. Commands are deterministic: they never
 * reach the LLM.
 *
 * @module
 */

/** A session: a bare JID or room, or one of its XEP-0201 threads. */
export type SessionRef = string | { jid: string; thread?: string | undefined };

/** The memory operations commands use. */
export interface CommandMemory {
  /** Archives the current session; the archive's path, or `null` when it was empty. */
  archive(ref: SessionRef): Promise<string | null>;
  /** Erases the current session and the profile; archives are kept. */
  forget(ref: SessionRef): Promise<unknown>;
  /** Messages in the current session. */
  messageCount(ref: SessionRef): Promise<number>;
  /** Archived sessions. */
  archivedSessions(ref: SessionRef): Promise<number>;
  /** The last entries of the session (for `/history`). */
  recent(
    ref: SessionRef,
    n: number,
    options?: { include?: "messages" | "all" },
  ): Promise<{ type: string; role?: string; content?: string; ts?: string; sender?: string }[]>;
  /** The profile and prompt files (for `/context`). */
  promptParts(jid: string): Promise<{ user?: string }>;
}

/** What the sender of a command may do. */
export interface CommandRights {
  /** Developer commands (`agent.dev_command_jids`). */
  dev: boolean;
  /**
   * Erasing or archiving this conversation's memory. Always true one-to-one; in a room only
   * for an occupant whose real JID is allowed.
   */
  erase: boolean;
  /** Admin commands (`agent.admin_jids`): enabling and disabling skills. @default {false} */
  admin?: boolean;
}

/** Facts about the running agent, for `/status`. */
export interface AgentStatus {
  startedAt: Date;
  mode: string;
  provider: string;
  model: string;
  /** LLM calls and tokens since start, and which model answered last. */
  usage: {
    calls: number;
    input_tokens: number;
    output_tokens: number;
    last_answer?: { model: string; tier: string; instead_of?: string } | undefined;
  };
}

/**
 * The context of a conversation as commands see it (`ContextManager` in `src/context/`):
 * what `/status`, `/context` and `/compact` tell and do.
 */
export interface ConversationControl {
  /** Lines for `/status`: the cache share and the compaction of this session. */
  statusLines(session: SessionRef): Promise<string[]>;
  /** The newest summary of the session, when there is one. */
  summary(
    session: SessionRef,
  ): Promise<{ content: string; compacted_count: number; ts: string } | undefined>;
  /** Compacts the session now; what was done, for the person. */
  compactNow(session: SessionRef, room: boolean): Promise<string>;
}

/** What a command runs with. */
export interface CommandContext {
  /** The conversation: the sender's bare JID, or the room. */
  jid: string;
  /**
   * Who sent the command: their bare JID (in a room, the occupant's real JID when the room
   * tells it; absent otherwise).
   */
  sender?: string;
  /** The session the command acts on (the thread's own session inside a thread). */
  session: SessionRef;
  rights: CommandRights;
  /** Sends a raw stanza (`/raw`); returns an error message when it is not valid. */
  sendRaw: (xml: string) => string | undefined;
  /** The text after the command name, trimmed. */
  args: string;
  memory: CommandMemory;
  status: () => AgentStatus;
  /** The conversation's context (budget, summary, cache), when the agent keeps one. */
  conversation?: ConversationControl;
  /** Whether the command came from a room. @default {false} */
  room?: boolean;
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
  /** Needs {@linkcode CommandRights.dev}. */
  dev?: boolean;
  /** Needs {@linkcode CommandRights.erase}. */
  erases?: boolean;
  /**
   * What follows the name, when the command takes something: a client's command menu
   * (XEP-0050) asks for it in a form field with this label. @default {undefined} (nothing)
   */
  args?: { label: string; required: boolean };
  /**
   * A question a command menu asks to confirm before running it (a typed command runs at
   * once: typing it is the confirmation). @default {undefined}
   */
  confirm?: string;
  /** Runs the command and returns the reply. */
  run(context: CommandContext): Promise<string>;
}
