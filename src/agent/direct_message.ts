/**
 * A one-to-one message from an allowed person (or one written privately through a room, in
 * the occupant's own conversation): an encrypted one gets a notice, one delivered again is
 * dropped, a slash command runs, an answer to a command's question goes to that command
 * (`/persona create`), anything else is an LLM turn. A message taken up after a
 * restart is answered unless it was already; if it was, its stored answer is sent again (the
 * server had not acknowledged it, or the message would not be taken up).
 *
 * A markable message (XEP-0333) is marked `displayed` as work on it starts (with the turn's
 * `composing`, in one stanza). A correction (XEP-0308) of one of the person's last messages
 * is answered as a correction of the agent's answer to it, if there was one; a message
 * corrected while it still waited is stored (marked replaced) and not answered. A reply
 * (XEP-0461) brings the message it quotes; an answer that goes out after the person wrote
 * again says which message it answers.
 *
 * @module
 */
import { parseCommandLine } from "../commands/mod.ts";
import type { MessageEvent, XmppAction } from "../xmpp/mod.ts";
import type { Rights } from "./decide.ts";
import { handledPrefix } from "./handled_line.ts";
import { findCorrected, findQuoted } from "./message_context.ts";
import { idOf } from "./message_tracker.ts";
import { replayProgress, sendAgain, storedAnswers } from "./replay_progress.ts";
import { screenDirect } from "./screen_direct.ts";
import { type AnswerOptions, type ReplyTarget, runTurn, storeIncoming } from "./turn.ts";
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
  const tracked = context.messages.start(message.bare, message);
  const displayed = message.markable && message.id !== undefined ? message.id : undefined;
  // A receipt still waiting goes with `displayed` (or `composing`): one stanza.
  const takeReceipt = () =>
    context.acks.take(message.from, message.id)?.receipt === true ? message.id : undefined;
  const markDisplayed = () => {
    const receipt = takeReceipt();
    if (displayed === undefined && receipt === undefined) return;
    const { from } = membership.from(message.to);
    options.xmpp.send({
      type: "acknowledge",
      to: message.from,
      ...(from === undefined ? {} : { from }),
      id: (displayed ?? receipt)!,
      receipt: receipt !== undefined,
      ...(displayed === undefined ? {} : { marker: "displayed" as const }),
    });
  };
  if (receivedAt !== undefined) {
    const progress = await replayProgress(memory, session, message, receivedAt);
    if (progress === "answered") {
      // Still in the inbox: the server had not acknowledged the answer when the process
      // stopped (it may never have had it). Sent again as it was, rather than lost.
      const answers = await storedAnswers(memory, session, message, receivedAt);
      sendAgain((action) => options.xmpp.send(action), reply, answers);
      log.info(`${handled}: answered before the restart, the answer sent again`);
      return;
    }
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
  if (await screenDirect(message, screen)) {
    markDisplayed();
    return;
  }
  const ids = {
    ...(message.id === undefined ? {} : { msg_id: message.id }),
    ...(message.stanzaId === undefined ? {} : { stanza_id: message.stanzaId }),
  };
  if (tracked?.supersededBy !== undefined) {
    // Corrected while it waited: kept in the history, and only the correction is answered.
    const entry = { type: "message" as const, role: "user" as const, content: message.body };
    await storeIncoming(session, { ...entry, ...ids, replaced_by: tracked.supersededBy }, options);
    markDisplayed();
    log.info(`${handled}: corrected before it was answered, not answered`);
    return;
  }
  const line = parseCommandLine(message.body.trimStart());
  if (line !== undefined) {
    markDisplayed();
    const place = { jid: message.bare, sender: message.bare, session, reply, rights, handled };
    await runCommand(context, line, place);
    return;
  }
  const dialogueAnswer = await options.dialogue?.(message.bare, message.body);
  if (dialogueAnswer !== undefined) {
    markDisplayed();
    options.xmpp.send({ type: "message", body: dialogueAnswer, ...reply });
    log.info(`${handled}: an answer to a command's question`);
    return;
  }
  const correction = message.replaces === undefined
    ? undefined
    : await findCorrected(memory, session, message);
  const replyTo = message.reply === undefined
    ? undefined
    : await findQuoted(memory, session, message.reply);
  const ownId = idOf(message);
  const answer: AnswerOptions = {
    ...(displayed === undefined ? {} : { displayed }),
    receipt: takeReceipt,
    react: ownId === undefined ? {} : { messageId: ownId },
    ...(correction?.answerId === undefined ? {} : { replaces: correction.answerId }),
    // Answers go in the order the questions came; once the person has written again, an
    // answer says which message it answers. Without a fallback quote: a client that does not
    // know replies shows the answer as it always did.
    replyTo: () =>
      tracked !== undefined && ownId !== undefined &&
        context.messages.hasNewer(message.bare, tracked.seq)
        ? { id: ownId, to: message.bare }
        : undefined,
  };
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
    answer,
    entry: {
      type: "message",
      role: "user",
      content: withLinks(message.body, intake === undefined ? message.attachments : intake.failed),
      ...ids,
      ...(intake?.stored.length ? { attachments: intake.stored } : {}),
      ...(correction === undefined ? {} : { replaces: correction.replaces }),
      ...(replyTo === undefined ? {} : { reply_to: replyTo }),
    },
    ...(intake?.blocks.length ? { attachments: intake.blocks } : {}),
  }, turnContext(context));
}
