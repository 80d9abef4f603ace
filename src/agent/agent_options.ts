/**
 * What the agent is built from ({@linkcode AgentOptions}) and the XMPP and inbox operations
 * it is given. Apart from agent.ts so that the handlers' shared context can name them without
 * importing the agent that imports the handlers.
 *
 * @module
 */
import type { AgentStatus, Command, CommandMemory, ConversationControl } from "../commands/mod.ts";
import type { RosterItem, XmppAction } from "../xmpp/mod.ts";
import type { AttachmentIntake } from "./attachment_intake.ts";
import type { InboxEvent } from "./events.ts";
import type { MembershipOptions } from "./membership.ts";
import type { ContextMemory } from "./message_context.ts";
import type { RedeliveryMemory } from "./redelivery.ts";
import type { TurnContext, TurnMemory } from "./turn.ts";

/** The XMPP operations the agent uses. */
export interface AgentXmpp {
  send(action: XmppAction): void;
  /**
   * Resolves once the server has what was sent so far (with stream management: has
   * acknowledged it). An event stays in the inbox until then. @default {at once}
   */
  delivered?(): Promise<void>;
  roster(): Promise<RosterItem[]>;
  /** Checks a raw stanza for `/raw`: an error message, or `undefined` when it may be sent. */
  validateRaw?(xml: string): string | undefined;
}

/**
 * Where incoming events are written down before they wait in a queue (the data directory's
 * inbox), so that a process killed meanwhile takes them up at its next start.
 */
export interface AgentInbox {
  /**
   * Records an event durably; its number, for {@linkcode done}.
   * @throws {Error} When it cannot be written.
   */
  record(event: InboxEvent, at: Date): number;
  /** The event is handled. */
  done(n: number): void;
}

/** Options for {@linkcode Agent}. */
export interface AgentOptions extends Omit<TurnContext, "memory" | "send">, MembershipOptions {
  memory: TurnMemory & CommandMemory & RedeliveryMemory & Pick<ContextMemory, "findMessage">;
  xmpp: AgentXmpp;
  /** Facts for `/status`. */
  status: () => AgentStatus;
  /** The conversations' context, for `/status`, `/context` and `/compact`. */
  conversation?: ConversationControl;
  /** Bare JIDs allowed to use developer commands. @default {[]} */
  devJids?: readonly string[];
  /** Bare JIDs allowed admin commands (`agent.admin_jids`). @default {[]} */
  adminJids?: readonly string[];
  /** Longer messages are not read; the sender is told. @default {16000} */
  maxMessageChars?: number;
  /** Answer reactions through the LLM (they are always stored). @default {false} */
  respondToReactions?: boolean;
  /** Downloads attachments and turns them into LLM content. */
  attachments?: AttachmentIntake;
  /** More slash commands (e.g. `/skills`), after the built-in ones. @default {[]} */
  commands?: Command[];
  /**
   * A command waiting for the conversation's next message (`/persona create` asks questions)
   * takes it: the reply, or `undefined` when none waits. Slash commands are not offered to it.
   * @default {none}
   */
  dialogue?: (conversation: string, text: string) => Promise<string | undefined>;
  /** Records events before they are handled; none (events live in memory only) when absent. */
  inbox?: AgentInbox;
  /**
   * `[proactive]`: greet an allowed contact who comes online (at most once in 12 h), and hold
   * webhook and schedule results for a contact known to be offline until they come online.
   * @default {{ greetOnLogin: false, deliverWhenOnline: true }}
   */
  proactive?: { greetOnLogin: boolean; deliverWhenOnline: boolean };
}
