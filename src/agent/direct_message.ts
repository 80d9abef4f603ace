/**
 * A one-to-one message from an allowed person (or one written privately through a room, in
 * the occupant's own conversation): an encrypted one gets a notice, one delivered again is
 * dropped, a slash command runs, an answer to a command's question goes to that command
 * (`/persona create`), anything else is an LLM turn. A message taken up after a
 * restart is answered unless it was already.
 *
 * @module
 */
import { parseCommandLine } from "../commands/mod.ts";
import type { MessageEvent, XmppAction } from "../xmpp/mod.ts";
import type { Rights } from "./decide.ts";
import { handledPrefix } from "./handled_line.ts";
import { replayProgress } from "./replay_progress.ts";
import { screenDirect } from "./screen_direct.ts";
import { type ReplyTarget, runTurn } from "./turn.ts";
import {
  type HandlerContext,
  runCommand,
  sessionOf,
  turnContext,
  withLinks,
} from "./_handler_context.ts";

/**
 * Handles one message in its conversation's queue.
 *
 * @param message The message; `bare` is the conversation (the occupant's real JID for a
 * private message through a room).
 * @param rights What the sender may do.
 * @param context The handlers' collaborators.
 * @param receivedAt When the last run received it, for a message taken up after a restart.
 */
export async function handleDirectMessage(
  message: MessageEvent,
  rights: Rights,
  context: HandlerContext,
  receivedAt?: string,
): Promise<void> {
  const { options, membership } = context;
  const { log, memory } = options;
  const session = sessionOf(message.bare, message.thread);
  const reply: ReplyTarget = {
    to: message.from,
    messageType: "chat",
    ...membership.from(message.to),
    ...(message.thread === undefined ? {} : { thread: message.thread }),
  };
  const handled = handledPrefix(message.kind, session, false);
  if (receivedAt !== undefined) {
    const progress = await replayProgress(memory, session, message, receivedAt);
    if (progress === "answered") return;
    if (progress === "stored") {
      // Stored before the restart, never answered: answered now, not stored again.
      log.info(`${handled}: received before the restart, answering it now`);
      await runTurn(
        { conversation: session, promptJid: message.bare, reply, kind: message.kind },
        turnContext(context),
      );
      return;
    }
  }
  const send = (action: XmppAction) => options.xmpp.send(action);
  const screen = {
    session,
    reply,
    handled,
    log,
    memory,
    notices: context.encrypted,
    send,
    turn: options,
    maxMessageChars: options.maxMessageChars,
  };
  if (await screenDirect(message, screen)) return;
  const line = parseCommandLine(message.body.trimStart());
  if (line !== undefined) {
    const place = { jid: message.bare, sender: message.bare, session, reply, rights, handled };
    await runCommand(context, line, place);
    return;
  }
  const answer = await options.dialogue?.(message.bare, message.body);
  if (answer !== undefined) {
    options.xmpp.send({ type: "message", body: answer, ...reply });
    log.info(`${handled}: an answer to a command's question`);
    return;
  }
  const intake = message.attachments?.length
    ? await options.attachments?.receive(message.bare, message.attachments)
    : undefined;
  if (intake !== undefined && intake.failures.length > 0) {
    options.xmpp.send({ type: "message", body: intake.failures.join("\n"), ...reply });
  }
  if (message.attachments?.length && options.attachments === undefined) {
    log.info(`Attachments from ${message.bare} ignored: attachments are disabled`);
  }
  await runTurn({
    conversation: session,
    promptJid: message.bare,
    reply,
    kind: message.kind,
    sender: message.bare,
    tools: rights.tools,
    entry: {
      type: "message",
      role: "user",
      content: withLinks(message.body, intake === undefined ? message.attachments : intake.failed),
      ...(message.id === undefined ? {} : { msg_id: message.id }),
      ...(message.stanzaId === undefined ? {} : { stanza_id: message.stanzaId }),
      ...(intake?.stored.length ? { attachments: intake.stored } : {}),
    },
    ...(intake?.blocks.length ? { attachments: intake.blocks } : {}),
  }, turnContext(context));
}
