/**
 * What the event handlers share: the agent's options, its presence and rooms, its commands,
 * and the way a command's answer goes out.
 *
 * @module
 */
import type { CommandRegistry, SessionRef } from "../commands/mod.ts";
import type { OobAttachment, XmppAction } from "../xmpp/mod.ts";
import type { AgentOptions } from "./agent_options.ts";
import type { Rights } from "./decide.ts";
import type { EncryptedNotice } from "./encrypted_notice.ts";
import type { Membership } from "./membership.ts";
import type { PendingAcks } from "./pending_acks.ts";
import type { MessageTracker } from "./message_tracker.ts";
import type { ReplyTarget, TurnContext } from "./turn.ts";

/** The collaborators of every handler. */
export interface HandlerContext {
  options: AgentOptions;
  membership: Membership;
  commands: CommandRegistry;
  encrypted: EncryptedNotice;
  /** The one-to-one messages waiting in their queues. */
  messages: MessageTracker;
  /** Acknowledgements waiting to travel with the stanza that starts work on their message. */
  acks: PendingAcks;
}

/** The turn's collaborators, from the agent's options. */
export function turnContext(context: HandlerContext): TurnContext {
  const { options } = context;
  return { ...options, send: (action: XmppAction) => options.xmpp.send(action) };
}

/** Where a command runs and who sent it. */
export interface CommandPlace {
  /** The conversation: a bare JID or a room. */
  jid: string;
  /** Who sent it, when known (a bare JID). */
  sender: string | undefined;
  session: SessionRef;
  reply: ReplyTarget;
  rights: Rights;
  /** The start of the log line. */
  handled: string;
}

/** Runs a slash command (no LLM) and sends its answer. */
export async function runCommand(
  context: HandlerContext,
  line: { name: string; args: string },
  place: CommandPlace,
): Promise<void> {
  const { options } = context;
  const body = await executeCommand(context, line, place);
  options.xmpp.send({ type: "message", body, ...place.reply });
  options.log.info(`${place.handled}: command /${line.name}`);
}

/** Runs a slash command (no LLM) and returns its answer. */
export function executeCommand(
  context: HandlerContext,
  line: { name: string; args: string },
  place: Pick<CommandPlace, "jid" | "sender" | "session" | "rights">,
): Promise<string> {
  const { options } = context;
  const { jid, sender, session, rights } = place;
  return context.commands.execute(line, {
    jid,
    ...(sender === undefined ? {} : { sender }),
    session,
    rights,
    memory: options.memory,
    status: options.status,
    ...(options.conversation === undefined ? {} : { conversation: options.conversation }),
    room: context.membership.isRoom(jid),
    now: options.now,
    sendRaw: (xml) => {
      const error = options.xmpp.validateRaw?.(xml);
      if (error === undefined) options.xmpp.send({ type: "raw", xml });
      return error;
    },
  });
}

/**
 * The body, followed by the links of attachments that nothing else records (no attachment
 * service, or the download failed): then the links themselves are all there is to keep.
 */
export function withLinks(body: string, attachments: readonly OobAttachment[] | undefined): string {
  const links = (attachments ?? []).map((attachment) => `[attachment: ${attachment.url}]`);
  return [body, ...links].filter((part) => part !== "").join("\n");
}

/** The session of an event: its conversation, or the thread's own session inside it. */
export function sessionOf(jid: string, thread: string | undefined): SessionRef {
  return thread === undefined ? jid : { jid, thread };
}
